using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Emulation.CommsHub;
using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Emulator;

/// <summary>
/// <c>secdcc-emulator RIG.yaml [--gateway host:port]</c>: runs an emulated rig on its own, prints each device's
/// local port and the hub's WAN state, and keeps going until Ctrl-C. Its subcommands check a bench
/// (<c>selftest</c>) and bridge a hub's serial WAN line to a gateway (<c>bridge</c>).
/// </summary>
public static partial class EmulatorCommand
{
    public static RootCommand Create()
    {
        var rig = new Argument<FileInfo>("rig") { Description = "The rig file, e.g. rigs/emulated.yaml; every device in it must have 'port: emulated'." };
        var gateway = new Option<string>("--gateway") { Description = "The DCC's SM WAN gateway as host:port; overrides the rig file's wan." };
        var state = new Option<DirectoryInfo>("--state") { Description = "Where devices keep their state files (default: the rig's 'state', or ~/.local/state/secdcc/rigs/<name>)." };
        var dccCert = new Option<FileInfo>("--dcc-cert")
        {
            Description = "The DCC's command-signing certificate (PEM). Devices with an empty accessControlBroker cell get it at power-up; without it they cannot verify commands.",
        };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the ports and WAN changes, not what each device does." };
        var load = new Option<string[]>("--load")
        {
            Description = "A load on an emulated ESME as NAME=WATTS (e.g. esme=3600: one pulse a second at 1000 imp/kWh); repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new RootCommand("Run an emulated SecDcc rig: each device on its own pseudo-terminal, the HAN between them, the hub's WAN to the gateway.")
        {
            rig, gateway, state, dccCert, quiet, load,
        };
        command.Subcommands.Add(SelfTestCommand.Create());
        command.Subcommands.Add(BridgeCommand.Create());
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(rig)!, parse.GetValue(gateway), parse.GetValue(state), parse.GetValue(dccCert), parse.GetValue(quiet), parse.GetValue(load) ?? [], cancellationToken));
        return command;
    }

    /// <summary>"host:port" as a TCP gateway, or null (with the reason printed) when it is not one.</summary>
    internal static TcpWan? ParseGateway(string option, string text)
    {
        var match = HostPort().Match(text);
        if (match.Success && int.TryParse(match.Groups[2].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            return new TcpWan(match.Groups[1].Value, port);
        }

        Console.Error.WriteLine($"{option} {text}: expected host:port, e.g. 127.0.0.1:7070");
        return null;
    }

    /// <summary>Loads a rig file, printing every problem and returning null when it does not load.</summary>
    internal static RigDefinition? LoadRig(FileInfo file)
    {
        try
        {
            return RigFile.Load(file.ToString());
        }
        catch (RigFileException e)
        {
            Console.Error.WriteLine(e.Message);
            return null;
        }
    }

    private static async Task<int> RunAsync(FileInfo rigFile, string? gateway, DirectoryInfo? state, FileInfo? dccCert, bool quiet, string[] loads, CancellationToken cancellationToken)
    {
        if (LoadRig(rigFile) is not { } definition)
        {
            return 2;
        }

        WanConnection? wan = null;
        if (gateway is not null && (wan = ParseGateway("--gateway", gateway)) is null)
        {
            return 2;
        }

        if (ParseLoads(loads, definition) is not { } loadByMeter)
        {
            return 2;
        }

        X509Certificate2? dcc = null;
        if (dccCert is not null)
        {
            try
            {
                dcc = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(dccCert.FullName, cancellationToken));
            }
            catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"--dcc-cert {dccCert}: cannot read a PEM certificate ({e.Message})");
                return 2;
            }
        }

        var log = quiet ? (IEmulatorLog)NullEmulatorLog.Instance : new TextWriterEmulatorLog(Console.Out);
        EmulatedRig emulated;
        try
        {
            emulated = await EmulatedRig.StartAsync(
                definition,
                new EmulatorOptions { StateDirectory = state?.FullName, Wan = wan, DccCertificate = dcc, Log = log },
                cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException)
        {
            Console.Error.WriteLine($"cannot start rig {definition.Name}: {e.Message}");
            return 1;
        }

        // Ctrl-C (SIGINT) and SIGTERM end the wait below, so the devices power off in order and their state files are closed whole.
        using var stop = new StopSignal(cancellationToken);
        await using (emulated)
        {
            PrintPorts(emulated);
            foreach (var (meter, watts) in loadByMeter)
            {
                emulated.Meter(meter).SetLoad(watts);
                Console.WriteLine($"load on {meter}: {watts:0.###} W");
            }

            if (dcc is null)
            {
                Console.WriteLine("note: no --dcc-cert; the devices trust the rig's own Access Control Broker certificate, so a DCC must sign with its key (above)");
            }

            if (quiet)
            {
                // Without the device log, WAN changes are the one thing worth a line each.
                emulated.Hub.WanStateChanged += s => Console.WriteLine($"WAN: {s}");
            }

            Console.WriteLine($"WAN: {emulated.Hub.WanState}");
            Console.WriteLine("Running; Ctrl-C stops the rig (state files stay).");
            await stop.WaitAsync();
            Console.WriteLine("Stopping.");
        }

        return 0;
    }

    /// <summary>NAME=WATTS for emulated ESMEs of the rig, or null (with the reason printed).</summary>
    private static Dictionary<string, double>? ParseLoads(string[] loads, RigDefinition rig)
    {
        var parsed = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var load in loads)
        {
            var parts = load.Split('=', 2);
            if (parts.Length != 2
                || !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var watts)
                || watts < 0
                || rig.Devices.FirstOrDefault(d => d.Name == parts[0]) is not { Type: DeviceProtocol.Messages.DeviceType.ESME })
            {
                Console.Error.WriteLine($"--load {load}: expected NAME=WATTS for an ESME of the rig ({string.Join(", ", rig.Devices.Where(d => d.Type == DeviceProtocol.Messages.DeviceType.ESME).Select(d => d.Name))}), e.g. esme=3600");
                return null;
            }

            parsed[parts[0]] = watts;
        }

        return parsed;
    }

    private static void PrintPorts(EmulatedRig rig)
    {
        Console.WriteLine($"rig {rig.Definition.Name} ({rig.Definition.SourcePath}), state in {rig.StateDirectory}");
        Console.WriteLine("  for a DCC: trust the device issuers " + string.Join(" and ", rig.DeviceIssuerCertificates.Select((_, i) => Path.Combine(rig.StateDirectory, i == 0 ? EmulatedRig.TrustFiles.IssuingCa : EmulatedRig.TrustFiles.RootCa))) +
            (rig.TrustAnchors.DccCertificate is null
                ? $"; sign commands with {Path.Combine(rig.StateDirectory, EmulatedRig.TrustFiles.DccKey)} and {Path.Combine(rig.StateDirectory, EmulatedRig.TrustFiles.DccCertificate)} (the devices' accessControlBroker cell holds it)"
                : "; sign commands with the key of --dcc-cert"));
        Console.WriteLine($"  trust anchors: test PKI seed '{rig.TrustAnchors.Settings.Seed}', cells {rig.TrustAnchors.Settings.CellsFile ?? "(none: accessControlBroker only)"}");
        foreach (var device in rig.Devices)
        {
            var quirks = device.Quirks.All.Count == 0 ? string.Empty : $"  quirks: {device.Quirks}";
            var optical = device.OpticalPortPath is { } o ? $"  optical {o}" : string.Empty;
            Console.WriteLine($"  {device.Name,-8} {device.Type,-6} {device.Id}  {device.LocalPortPath,-12} {device.Model.Manufacturer} {device.Model.Model} fw {device.Model.FirmwareVersion}{optical}{quirks}");
        }

        foreach (var bank in rig.SimulatedBanks.Values)
        {
            Console.WriteLine($"  GPIO bank sim:{bank.BankName}: {string.Join(", ", bank.Lines.Select(l => $"{l.Number} {l.Name}"))}");
        }

        if (rig.WanLinePath is { } line)
        {
            Console.WriteLine($"  WAN line (for a WAN bridge): {line}");
        }
    }

    [GeneratedRegex(@"^([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$")]
    private static partial Regex HostPort();
}

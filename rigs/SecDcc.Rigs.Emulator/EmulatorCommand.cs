using System.CommandLine;
using System.Runtime.InteropServices;
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
/// local port and the hub's WAN state, and keeps going until Ctrl-C.
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
        var command = new RootCommand("Run an emulated SecDcc rig: each device on its own pseudo-terminal, the HAN between them, the hub's WAN to the gateway.")
        {
            rig, gateway, state, dccCert, quiet,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(rig)!, parse.GetValue(gateway), parse.GetValue(state), parse.GetValue(dccCert), parse.GetValue(quiet), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo rigFile, string? gateway, DirectoryInfo? state, FileInfo? dccCert, bool quiet, CancellationToken cancellationToken)
    {
        RigDefinition definition;
        try
        {
            definition = RigFile.Load(rigFile.ToString());
        }
        catch (RigFileException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        WanConnection? wan = null;
        if (gateway is not null)
        {
            var match = HostPort().Match(gateway);
            if (!match.Success)
            {
                Console.Error.WriteLine($"--gateway {gateway}: expected host:port, e.g. 127.0.0.1:7070");
                return 2;
            }

            wan = new TcpWan(match.Groups[1].Value, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
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
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await using (emulated)
        {
            PrintPorts(emulated);
            if (dcc is null)
            {
                Console.WriteLine("note: no --dcc-cert; devices whose accessControlBroker cell is empty drop the DCC's commands as signed by an unknown key");
            }

            if (quiet)
            {
                // Without the device log, WAN changes are the one thing worth a line each.
                emulated.Hub.WanStateChanged += s => Console.WriteLine($"WAN: {s}");
            }

            Console.WriteLine($"WAN: {emulated.Hub.WanState}");
            Console.WriteLine("Running; Ctrl-C stops the rig (state files stay).");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("Stopping.");
            }
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static void PrintPorts(EmulatedRig rig)
    {
        Console.WriteLine($"rig {rig.Definition.Name} ({rig.Definition.SourcePath}), state in {rig.StateDirectory}");
        Console.WriteLine($"device certificate issuer (trust it to verify the devices): {Path.Combine(rig.StateDirectory, "device-ca.cert.pem")}");
        foreach (var device in rig.Devices)
        {
            var quirks = device.Quirks.All.Count == 0 ? string.Empty : $"  quirks: {device.Quirks}";
            Console.WriteLine($"  {device.Name,-8} {device.Type,-6} {device.Id}  {device.LocalPortPath,-12} {device.Model.Manufacturer} {device.Model.Model} fw {device.Model.FirmwareVersion}{quirks}");
        }

        if (rig.WanLinePath is { } line)
        {
            Console.WriteLine($"  WAN line (for a WAN bridge): {line}");
        }
    }

    [GeneratedRegex(@"^([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$")]
    private static partial Regex HostPort();
}

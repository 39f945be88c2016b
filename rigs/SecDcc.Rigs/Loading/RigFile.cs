using System.Text.RegularExpressions;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Drivers.Link;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Model;
using YamlDotNet.RepresentationModel;

namespace SecDcc.Rigs.Loading;

/// <summary>What a load checks besides the files themselves.</summary>
public sealed record RigLoadOptions
{
    /// <summary>Check that every real device's port path exists. Off only for a file written for another machine.</summary>
    public bool CheckPortPaths { get; init; } = true;
}

/// <summary>
/// Loads a rig file (rigs/*.yaml; see rigs/README.md for the fields), with the Device Model files it names.
/// Every problem is reported at once, each as file:line:column: field: what is wrong — and how to fix it.
/// </summary>
public static partial class RigFile
{
    private static readonly string[] Parities = ["none", "even", "odd"];

    /// <param name="path">The rig file; errors name it as given, and model paths in it are relative to its folder.</param>
    /// <exception cref="RigFileException">The file, or a model file it names, is missing or invalid.</exception>
    public static RigDefinition Load(string path, RigLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var errors = new ErrorSink();
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(path, YamlDotNet.Core.Mark.Empty, "(file)", $"cannot read the rig file: {e.Message}");
            errors.ThrowIfAny();
            throw;
        }

        var rig = Parse(path, text, options ?? new RigLoadOptions(), errors);
        errors.ThrowIfAny();
        return rig!;
    }

    /// <summary>Parses rig YAML held in memory; <paramref name="path"/> names it in errors and anchors relative paths.</summary>
    public static RigDefinition Parse(string path, string text, RigLoadOptions? options = null)
    {
        var errors = new ErrorSink();
        var rig = Parse(path, text, options ?? new RigLoadOptions(), errors);
        errors.ThrowIfAny();
        return rig!;
    }

    private static RigDefinition? Parse(string path, string text, RigLoadOptions options, ErrorSink errors)
    {
        var document = YamlDocument.Parse(path, text, errors);
        var root = document is null ? null : YamlMap.From(document, path, string.Empty, errors, "a rig");
        if (root is null)
        {
            return null;
        }

        var folder = Path.GetDirectoryName(path) ?? string.Empty;
        var name = root.Scalar("name", true, "a short name for the bench, e.g. emulated or acme-bench-1");
        var description = root.Scalar("description", false, "one line about the bench");
        var stateText = root.Scalar("state", false, "a folder (relative to the rig file) for emulated devices' non-volatile state");
        var wan = ReadWan(root, folder, options, errors);
        var banks = ReadBanks(root, options);
        var trustAnchors = ReadTrustAnchors(root, folder, name);
        var devices = ReadDevices(root, folder, options, errors);
        root.RejectUnknownFields();
        if (devices is not null)
        {
            CheckTopology(root, devices, wan, errors);
            if (banks is not null)
            {
                CheckBench(devices, banks);
            }
        }

        if (errors.Any || name is null || wan is null || devices is null || banks is null || trustAnchors is null)
        {
            return null;
        }

        var state = Path.GetFullPath(stateText is null ? DefaultStateDirectory(name) : Path.Combine(folder, stateText));
        return new RigDefinition(name, description, path, state, wan, devices.Select(d => d.Definition).ToArray())
        {
            GpioBanks = banks,
            TrustAnchors = trustAnchors,
        };
    }

    /// <summary>
    /// Where a rig without a 'state' field keeps emulated devices' state: under $XDG_STATE_HOME (or
    /// ~/.local/state), outside the checkout, so running a rig never leaves files in the repository.
    /// </summary>
    public static string DefaultStateDirectory(string rigName)
    {
        var root = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        }

        return Path.Combine(root, "secdcc", "rigs", rigName);
    }

    private static WanConnection? ReadWan(YamlMap root, string folder, RigLoadOptions options, ErrorSink errors)
    {
        var map = YamlMap.From(root.RequiredNode("wan", "say how the hub reaches the DCC: 'gateway: host:port' or 'serial: ...'"), root.File, "wan", errors, "the hub's WAN");
        if (map is null)
        {
            return null;
        }

        var gateway = map.Scalar("gateway", false, "the DCC's SM WAN gateway as host:port, e.g. 127.0.0.1:7070");
        var serialNode = map.Node("serial");
        map.RejectUnknownFields();
        if ((gateway is null) == (serialNode is null))
        {
            errors.Add(map.File, map.Start, "wan", "give exactly one of 'gateway: host:port' (TCP) or 'serial: ...' (a WAN line to a bridge)");
            return null;
        }

        if (gateway is not null)
        {
            var match = HostPort().Match(gateway);
            if (!match.Success || !int.TryParse(match.Groups["port"].Value, out var port) || port is < 1 or > 65535)
            {
                map.Error("gateway", $"'{gateway}' is not host:port; write e.g. 127.0.0.1:7070 or dcc.example:7070");
                return null;
            }

            return new TcpWan(match.Groups["host"].Value, port);
        }

        var portResource = ReadPort(map, "serial", serialNode!, options);
        return portResource is null ? null : new SerialWan(portResource);
    }

    private static List<LoadedDevice>? ReadDevices(YamlMap root, string folder, RigLoadOptions options, ErrorSink errors)
    {
        var node = root.RequiredNode("devices", "list the bench's devices: at least the CHF");
        if (node is null)
        {
            return null;
        }

        if (node is not YamlSequenceNode list)
        {
            root.Error(node, "devices", $"expected a list of devices, found {YamlMap.Describe(node)}");
            return null;
        }

        if (list.Children.Count == 0)
        {
            root.Error(node, "devices", "the rig lists no devices; add at least the CHF");
            return null;
        }

        var devices = new List<LoadedDevice>();
        var ok = true;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var map = YamlMap.From(list.Children[i], root.File, $"devices[{i}]", errors, "a device");
            var device = map is null ? null : ReadDevice(map, folder, options, errors);
            if (device is null)
            {
                ok = false;
            }
            else
            {
                devices.Add(device);
            }
        }

        return ok ? devices : null;
    }

    private static LoadedDevice? ReadDevice(YamlMap map, string folder, RigLoadOptions options, ErrorSink errors)
    {
        var name = map.Scalar("name", true, "a short name steps can use, e.g. esme");
        var idText = map.Scalar("id", true, "the device's EUI-64, e.g. 00-DB-12-34-56-78-00-01");
        var typeText = map.Scalar("type", true, $"one of {DeviceTypes.Names}");
        var modelText = map.Scalar("model", true, "the Device Model file, relative to the rig file, e.g. models/emulated-esme.yaml");
        var portNode = map.RequiredNode("port", "'emulated', or the real port: { path: /dev/ttyUSB0, baud: 9600 }");
        var gpio = ReadDeviceGpio(map);
        var port = portNode is null ? null : ReadPort(map, "port", portNode, options);
        var opticalNode = map.Node("optical");
        var optical = opticalNode is null ? null : ReadPort(map, "optical", opticalNode, options);
        map.RejectUnknownFields();

        if (name is not null && !DeviceName().IsMatch(name))
        {
            map.Error("name", $"'{name}' is not a usable name; use lower-case letters, digits and '-', starting with a letter");
            name = null;
        }

        Eui64? id = null;
        if (idText is not null)
        {
            if (Eui64.TryParse(idText, out var parsed) && parsed != Addresses.Broadcast && parsed != Addresses.LocalHarness)
            {
                id = parsed;
            }
            else
            {
                map.Error("id", $"'{idText}' is not a device EUI-64; write 8 hex bytes such as 00-DB-12-34-56-78-00-01");
            }
        }

        DeviceType? type = null;
        if (typeText is not null)
        {
            if (DeviceTypes.TryParse(typeText, out var t))
            {
                type = t;
            }
            else
            {
                map.Error("type", $"'{typeText}' is not a Device Type; use one of {DeviceTypes.Names}");
            }
        }

        DeviceModelDefinition? model = null;
        if (modelText is not null)
        {
            var modelPath = Path.Combine(folder, modelText);
            if (!File.Exists(modelPath))
            {
                map.Error("model", $"{modelPath} does not exist — check the path (it is relative to the rig file's folder)");
            }
            else
            {
                model = DeviceModelFile.Load(modelPath, errors);
                if (model is not null && type is { } ty && !model.Covers(ty))
                {
                    map.Error("model", $"{modelPath} is {Grammar.A(model.Kind)} model and cannot describe {Grammar.A(ty)}{(ty is DeviceType.CHF or DeviceType.GPF ? " (the CHF and GPF take a CH model)" : string.Empty)}");
                    model = null;
                }
            }
        }

        if (name is null || id is null || type is null || model is null || port is null || (opticalNode is not null && optical is null))
        {
            return null;
        }

        return new LoadedDevice(new DeviceDefinition(name, id.Value, type.Value, model, port, gpio) { Optical = optical }, map);
    }

    private static PortResource? ReadPort(YamlMap owner, string key, YamlNode node, RigLoadOptions options)
    {
        if (node is YamlScalarNode { Value: "emulated" })
        {
            return EmulatedPort.Instance;
        }

        if (node is YamlScalarNode scalar)
        {
            owner.Error(node, key, $"'{scalar.Value}' is not a port; write 'emulated', or a mapping such as {{ path: {scalar.Value}, baud: 9600 }}");
            return null;
        }

        var map = YamlMap.From(node, owner.File, owner.FieldPath(key), owner.Errors, "a port: 'emulated' or { path, baud, parity, dataBits, stopBits }");
        if (map is null)
        {
            return null;
        }

        var path = map.Scalar("path", true, "the device path, e.g. /dev/ttyUSB0 or /dev/serial/by-id/...");
        var baud = map.Integer("baud", false, $"one of {string.Join(", ", SerialSettings.SupportedBaudRates)}");
        var parity = map.Scalar("parity", false, "none, even or odd");
        var dataBits = map.Integer("dataBits", false, "7 or 8");
        var stopBits = map.Integer("stopBits", false, "1 or 2");
        map.RejectUnknownFields();

        var ok = path is not null;
        if (path is not null && options.CheckPortPaths && !File.Exists(path))
        {
            owner.Error(node, key, $"{path} does not exist — check the cable or the path (`ls /dev/serial/by-id` lists what is plugged in)");
            ok = false;
        }

        if (baud is { } b && !SerialSettings.SupportedBaudRates.Contains(b))
        {
            map.Error("baud", $"{b} is not a baud rate the serial driver can set; use one of {string.Join(", ", SerialSettings.SupportedBaudRates)}");
            ok = false;
        }

        if (parity is not null && !Parities.Contains(parity))
        {
            map.Error("parity", $"'{parity}' is not a parity; use none, even or odd");
            ok = false;
        }

        if (dataBits is not null and not (7 or 8))
        {
            map.Error("dataBits", $"{dataBits} data bits are not supported; use 7 or 8");
            ok = false;
        }

        if (stopBits is not null and not (1 or 2))
        {
            map.Error("stopBits", $"{stopBits} stop bits are not supported; use 1 or 2");
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        return new SerialPortResource(path!, new SerialSettings
        {
            BaudRate = baud ?? 115200,
            DataBits = dataBits ?? 8,
            Parity = parity switch
            {
                "even" => Parity.Even,
                "odd" => Parity.Odd,
                _ => Parity.None,
            },
            StopBits = stopBits == 2 ? StopBits.Two : StopBits.One,
        });
    }

    /// <summary>The rules that hold across devices: unique names and IDs, one hub, and no mixing of emulated and real on one HAN.</summary>
    private static void CheckTopology(YamlMap root, List<LoadedDevice> devices, WanConnection? wan, ErrorSink errors)
    {
        foreach (var group in devices.GroupBy(d => d.Definition.Name).Where(g => g.Count() > 1))
        {
            foreach (var d in group.Skip(1))
            {
                d.Map.Error("name", $"the name '{group.Key}' is already used by {group.First().Map.Path}; names must be unique");
            }
        }

        foreach (var group in devices.GroupBy(d => d.Definition.Id).Where(g => g.Count() > 1))
        {
            foreach (var d in group.Skip(1))
            {
                d.Map.Error("id", $"{group.Key} is already the ID of {group.First().Map.Path}; every device has its own EUI-64");
            }
        }

        var chfs = devices.Where(d => d.Definition.Type == DeviceType.CHF).ToArray();
        if (chfs.Length != 1)
        {
            errors.Add(root.File, root.Start, "devices", chfs.Length == 0
                ? "the rig has no CHF; every bench has one Communications Hub (add a device with type: CHF)"
                : $"the rig has {chfs.Length} CHFs ({string.Join(", ", chfs.Select(c => c.Map.Path))}); a rig has one Communications Hub — put another hub in its own rig file");
            return;
        }

        var chf = chfs[0];
        var gpfs = devices.Where(d => d.Definition.Type == DeviceType.GPF).ToArray();
        foreach (var extra in gpfs.Skip(1))
        {
            extra.Map.Error("type", $"a Communications Hub has one GPF, and {gpfs[0].Map.Path} is it");
        }

        foreach (var gpf in gpfs.Take(1).Where(g => g.Definition.Model.SourcePath != chf.Definition.Model.SourcePath))
        {
            gpf.Map.Error("model", $"the GPF is part of the Communications Hub and must share the CHF's model ({chf.Definition.Model.SourcePath})");
        }

        foreach (var d in devices.Where(d => d.Definition.IsEmulated != chf.Definition.IsEmulated))
        {
            d.Map.Error("port", d.Definition.IsEmulated
                ? $"an emulated {d.Definition.Type} cannot share a HAN with the real CHF of {chf.Map.Path}; emulate both or neither"
                : $"a real {d.Definition.Type} cannot join the emulated CHF of {chf.Map.Path}'s HAN; emulate both or neither");
        }

        if (wan is SerialWan { Port: EmulatedPort } && !chf.Definition.IsEmulated)
        {
            errors.Add(root.File, root.Start, "wan.serial", "an emulated WAN line needs an emulated CHF; for a real hub give the port its WAN bridge uses");
        }
    }

    [GeneratedRegex(@"^(?<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):(?<port>\d{1,5})$")]
    private static partial Regex HostPort();

    [GeneratedRegex(@"^[a-z][a-z0-9-]*$")]
    private static partial Regex DeviceName();

    private sealed record LoadedDevice(DeviceDefinition Definition, YamlMap Map);
}

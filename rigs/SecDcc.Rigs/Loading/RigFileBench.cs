using SecDcc.DeviceProtocol.Messages;
using SecDcc.Rigs.Model;
using YamlDotNet.RepresentationModel;

namespace SecDcc.Rigs.Loading;

/// <summary>The bench parts of a rig file: GPIO banks and lines, optical ports, and where emulated devices' credentials come from.</summary>
public static partial class RigFile
{
    private static readonly string[] BankKinds = ["sim", "serial", "chardev"];

    private static Dictionary<string, GpioBankDefinition>? ReadBanks(YamlMap root, RigLoadOptions options)
    {
        var banks = new Dictionary<string, GpioBankDefinition>(StringComparer.Ordinal);
        var node = root.Node("gpio");
        if (node is null)
        {
            return banks;
        }

        if (node is not YamlMappingNode map)
        {
            root.Error(node, "gpio", $"expected the bench's GPIO banks by name (e.g. bench: sim, relays: serial:/dev/ttyACM0?relays=8), found {YamlMap.Describe(node)}");
            return null;
        }

        var ok = true;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            var field = $"gpio.{name}";
            if (!DeviceName().IsMatch(name))
            {
                root.Error(keyNode, field, $"'{name}' is not a usable bank name; use lower-case letters, digits and '-', starting with a letter");
                ok = false;
                continue;
            }

            if (valueNode is not YamlScalarNode { Value: { Length: > 0 } spec })
            {
                root.Error(valueNode, field, $"expected a GPIO spec (sim, serial:/dev/ttyACM0?relays=8&gpios=4 or chardev:/dev/gpiochip0), found {YamlMap.Describe(valueNode)}");
                ok = false;
                continue;
            }

            if (CheckBankSpec(spec, options) is { } problem)
            {
                root.Error(valueNode, field, problem);
                ok = false;
                continue;
            }

            banks[name] = new GpioBankDefinition(name, spec);
        }

        foreach (var clash in banks.Values.Where(b => b.IsSimulated).GroupBy(b => b.SimulatedName).Where(g => g.Count() > 1))
        {
            root.Error(node, "gpio", $"banks {string.Join(" and ", clash.Select(b => b.Name))} are both the simulated bank '{clash.Key}'; give each its own name");
            ok = false;
        }

        return ok ? banks : null;
    }

    /// <summary>Null when the spec is one GpioBackends opens; otherwise what is wrong and how to write it.</summary>
    private static string? CheckBankSpec(string spec, RigLoadOptions options)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? spec : spec[..colon];
        var rest = colon < 0 ? string.Empty : spec[(colon + 1)..];
        if (!BankKinds.Contains(kind))
        {
            return $"'{spec}' is not a GPIO spec; write sim (the emulated rig's bank), serial:/dev/ttyACM0?relays=8&gpios=4 (a USB relay module) or chardev:/dev/gpiochip0 (a Pi-class board)";
        }

        if (kind == "sim")
        {
            return colon >= 0 && !DeviceName().IsMatch(rest) ? $"'{spec}': a simulated bank's name is lower-case letters, digits and '-'" : null;
        }

        var path = rest.Split('?')[0];
        if (path.Length == 0)
        {
            return $"'{spec}' names no device; write {kind}:/dev/{(kind == "serial" ? "ttyACM0" : "gpiochip0")}";
        }

        path = kind == "chardev" && !path.StartsWith('/') ? "/dev/" + path : path;
        return options.CheckPortPaths && !File.Exists(path)
            ? $"{path} does not exist — check the module's cable (`ls /dev/serial/by-id`) or the chip's name (`ls /dev/gpiochip*`)"
            : null;
    }

    private static DeviceGpio ReadDeviceGpio(YamlMap device)
    {
        var node = device.Node("gpio");
        if (node is null)
        {
            return DeviceGpio.None;
        }

        var map = YamlMap.From(node, device.File, device.FieldPath("gpio"), device.Errors, "the device's GPIO lines: { power: bank/line, button: bank/line, pulse: bank/line }");
        if (map is null)
        {
            return DeviceGpio.None;
        }

        var gpio = new DeviceGpio(ReadLine(map, "power", "the relay in the device's supply"), ReadLine(map, "button", "the relay across the device's button"), ReadLine(map, "pulse", "the input the photodiode on the meter's pulse LED drives"));
        map.RejectUnknownFields();
        return gpio;
    }

    private static GpioLineRef? ReadLine(YamlMap map, string role, string what)
    {
        var node = map.Node(role);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode { Value: { } text }:
                return ParseLine(map, node, role, text, activeLow: false);
            case YamlMappingNode:
                var wiring = YamlMap.From(node, map.File, map.FieldPath(role), map.Errors, what);
                var line = wiring!.Scalar("line", true, $"{what}, as bank/line, e.g. relays/2");
                var activeLowText = wiring.Scalar("activeLow", false, "true when the relay closes on a low level");
                wiring.RejectUnknownFields();
                if (activeLowText is not null and not ("true" or "false"))
                {
                    wiring.Error("activeLow", $"'{activeLowText}' is not true or false");
                    return null;
                }

                return line is null ? null : ParseLine(map, node, role, line, activeLowText == "true");
            default:
                map.Error(node, role, $"expected bank/line (or {{ line: bank/line, activeLow: true }}) for {what}, found {YamlMap.Describe(node)}");
                return null;
        }
    }

    private static GpioLineRef? ParseLine(YamlMap map, YamlNode node, string role, string text, bool activeLow)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            map.Error(node, role, $"'{text}' is not bank/line; write the bank's name from the rig's 'gpio' and the line's name or number, e.g. bench/esme-{role} or relays/2");
            return null;
        }

        return new GpioLineRef(text[..slash], text[(slash + 1)..], activeLow);
    }

    private static TrustAnchorSettings? ReadTrustAnchors(YamlMap root, string folder, string? rigName)
    {
        var defaultCells = Path.Combine(folder, "trust-anchors", "cells.yaml");
        var defaultConsents = Path.Combine(folder, "trust-anchors", "consents.yaml");
        var node = root.Node("trustAnchors");
        if (node is null)
        {
            return new TrustAnchorSettings(
                rigName ?? "secdcc",
                File.Exists(defaultCells) ? Path.GetFullPath(defaultCells) : null,
                File.Exists(defaultConsents) ? Path.GetFullPath(defaultConsents) : null);
        }

        var map = YamlMap.From(node, root.File, "trustAnchors", root.Errors, "where emulated devices' credentials come from: { seed, cells, consents }");
        if (map is null)
        {
            return null;
        }

        var seed = map.Scalar("seed", false, "any text; the same seed gives the same certificates (default: the rig's name)");
        var cells = ExistingFile(map, "cells", folder, "the required-cells table, e.g. trust-anchors/cells.yaml");
        var consents = ExistingFile(map, "consents", folder, "the consents register, e.g. trust-anchors/consents.yaml");
        map.RejectUnknownFields();
        return new TrustAnchorSettings(
            seed ?? rigName ?? "secdcc",
            cells.Given ? cells.Path : File.Exists(defaultCells) ? Path.GetFullPath(defaultCells) : null,
            consents.Given ? consents.Path : File.Exists(defaultConsents) ? Path.GetFullPath(defaultConsents) : null);
    }

    private static (bool Given, string? Path) ExistingFile(YamlMap map, string key, string folder, string hint)
    {
        var text = map.Scalar(key, false, hint);
        if (text is null)
        {
            return (false, null);
        }

        var path = Path.Combine(folder, text);
        if (!File.Exists(path))
        {
            map.Error(key, $"{path} does not exist — check the path (it is relative to the rig file's folder)");
            return (true, null);
        }

        return (true, Path.GetFullPath(path));
    }

    /// <summary>
    /// Lines name declared banks; emulated devices are wired to simulated banks and real ones to real banks;
    /// no line serves twice (but a GPF may share its CHF's power relay); a simulated bank's lines are named;
    /// pulse and optical on meters that have them.
    /// </summary>
    private static void CheckBench(List<LoadedDevice> devices, IReadOnlyDictionary<string, GpioBankDefinition> banks)
    {
        var used = new Dictionary<(string Bank, string Line), (string Device, DeviceType Type, string Role)>();
        foreach (var (definition, map) in devices.Select(d => (d.Definition, d.Map)))
        {
            foreach (var (role, line) in definition.Gpio.Lines)
            {
                var field = $"gpio.{role}";
                if (!banks.TryGetValue(line.Bank, out var bank))
                {
                    map.Error(field, banks.Count == 0
                        ? $"no GPIO bank named '{line.Bank}': declare the bench's banks under a top-level 'gpio:' (e.g. {line.Bank}: sim, or {line.Bank}: serial:/dev/ttyACM0?relays=8)"
                        : $"no GPIO bank named '{line.Bank}'; the rig's banks are {string.Join(", ", banks.Keys)}");
                    continue;
                }

                if (bank.IsSimulated && int.TryParse(line.Line, out _))
                {
                    map.Error(field, $"a simulated bank's lines are made from their names: write a name such as {bank.Name}/{definition.Name}-{role}, not a number");
                }

                if (bank.IsSimulated != definition.IsEmulated)
                {
                    map.Error(field, definition.IsEmulated
                        ? $"an emulated device is switched inside the emulator: wire it to a simulated bank (gpio: {{ {bank.Name}: sim }}), not {bank.Spec}"
                        : $"a real {definition.Type} cannot be wired to the simulated bank '{bank.Name}'; name the relay module or chip it is really wired to");
                }

                if (used.TryGetValue((line.Bank, line.Line), out var other))
                {
                    // The GPF is a function of the Communications Hub: one supply, so one relay, serves both.
                    var sharedHubSupply = role == "power" && other.Role == "power" && definition.Type == DeviceType.GPF && other.Type == DeviceType.CHF;
                    if (!sharedHubSupply)
                    {
                        map.Error(field, $"{line.Bank}/{line.Line} is already {other.Device}'s {other.Role} line; each line is wired to one thing (only a GPF shares its CHF's power relay)");
                    }
                }
                else
                {
                    used[(line.Bank, line.Line)] = (definition.Name, definition.Type, role);
                }
            }

            if (definition.Gpio.Pulse is not null && (definition.Type != DeviceType.ESME || definition.Model.MeterConstant is null))
            {
                map.Error("gpio.pulse", definition.Type != DeviceType.ESME
                    ? $"{Grammar.A(definition.Type)} has no pulse LED in imp/kWh; only an ESME's pulse input is counted"
                    : $"the pulse count is compared through the meter constant, and {definition.Model.SourcePath} gives none; add 'meterConstant: 1000' (imp/kWh, from the nameplate)");
            }

            if (definition.Optical is { } optical)
            {
                if (definition.Type is not (DeviceType.ESME or DeviceType.GSME))
                {
                    map.Error("optical", $"{Grammar.A(definition.Type)} has no IEC 62056-21 optical port; only meters (ESME, GSME) have one");
                }
                else if (optical is EmulatedPort != definition.IsEmulated)
                {
                    map.Error("optical", definition.IsEmulated
                        ? "an emulated meter's optical port is emulated too: write 'optical: emulated'"
                        : "a real meter's optical port is read through a probe: write { path: /dev/serial/by-id/... }");
                }
            }
        }
    }
}

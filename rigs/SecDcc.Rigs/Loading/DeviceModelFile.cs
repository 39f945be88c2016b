using System.Globalization;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Rigs.Model;
using YamlDotNet.RepresentationModel;

namespace SecDcc.Rigs.Loading;

/// <summary>
/// Loads a Device Model file (rigs/models/*.yaml):
/// <code>
/// manufacturer: SecDcc Emulation
/// model: EMU-CH1
/// deviceType: CH            # CH (CHF + GPF), ESME, GSME, PPMID, HCALCS, IHD, CAD
/// smets: SMETS1             # SMETS1 or SMETS2+; left out for a Type 2 device (IHD, CAD)
/// hardwareVersion: "1.0"
/// firmwareVersion: "1.2.0"
/// firmwareHash: 64 hex digits (SHA-256 of the firmware image, as on the CPL)
/// flagId: SDC              # optional: the FLAG ID in the optical identification message (default SDC)
/// meterConstant: 1000       # ESME: impulses per kWh of the pulse LED
/// joinWindow: button, 60s   # optional: joins only for 60 s after the button is pressed
/// quirks: [no-han-alert, { late-responses: { delay: 45s } }]   # emulated models only
/// </code>
/// </summary>
public static class DeviceModelFile
{
    private static readonly string[] SmetsVersions = ["SMETS1", "SMETS2+"];

    /// <param name="path">The file; errors name it as given.</param>
    /// <exception cref="RigFileException">The file is missing or invalid; every problem is listed with its line.</exception>
    public static DeviceModelDefinition Load(string path)
    {
        var errors = new ErrorSink();
        var model = Load(path, errors);
        errors.ThrowIfAny();
        return model!;
    }

    internal static DeviceModelDefinition? Load(string path, ErrorSink errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(path, YamlDotNet.Core.Mark.Empty, "(file)", $"cannot read the Device Model file: {e.Message}");
            return null;
        }

        var document = YamlDocument.Parse(path, text, errors);
        var root = document is null ? null : YamlMap.From(document, path, string.Empty, errors, "a Device Model");
        return root is null ? null : Read(root);
    }

    private static DeviceModelDefinition? Read(YamlMap map)
    {
        var manufacturer = map.Scalar("manufacturer", true, "the manufacturer's name as on the CPL");
        var model = map.Scalar("model", true, "the model name as on the CPL");
        var kindText = map.Scalar("deviceType", true, $"one of {string.Join(", ", Enum.GetNames<ModelKind>())}");
        var smets = map.Scalar("smets", false, "SMETS1 or SMETS2+");
        var hardware = map.Scalar("hardwareVersion", true, "the hardware version as on the CPL, e.g. \"1.0\"");
        var firmware = map.Scalar("firmwareVersion", true, "the firmware version as on the CPL, e.g. \"1.2.0\"");
        var hashText = map.Scalar("firmwareHash", true, "the SHA-256 of the firmware image: 64 hex digits");

        ModelKind? kind = null;
        if (kindText is not null)
        {
            if (Enum.TryParse<ModelKind>(kindText, ignoreCase: false, out var k) && Enum.IsDefined(k) && !int.TryParse(kindText, out _))
            {
                kind = k;
            }
            else
            {
                map.Error("deviceType", $"'{kindText}' is not a Device Model type; use one of {string.Join(", ", Enum.GetNames<ModelKind>())} (CH covers the CHF and the GPF)");
            }
        }

        var type2 = kind is ModelKind.IHD or ModelKind.CAD;
        if (smets is null && kind is not null && !type2)
        {
            map.Error("smets", $"required field 'smets' is missing — {Grammar.A(kind)} model is SMETS1 or SMETS2+");
        }
        else if (smets is not null && type2)
        {
            map.Error("smets", $"{Grammar.A(kind)} is a Type 2 device and has no SMETS version on the CPL (AC 2.9); remove the field");
        }
        else if (smets is not null && !SmetsVersions.Contains(smets))
        {
            map.Error("smets", $"'{smets}' is not a SMETS version; use SMETS1 or SMETS2+");
        }

        Octets? hash = null;
        if (hashText is not null)
        {
            var digits = hashText.Replace(":", string.Empty, StringComparison.Ordinal);
            if (digits.Length == 64 && digits.All(char.IsAsciiHexDigit))
            {
                hash = Octets.FromHex(digits);
            }
            else
            {
                map.Error("firmwareHash", $"'{hashText}' is not a SHA-256 hash; write 64 hex digits (e.g. the output of sha256sum on the image)");
            }
        }

        var flagId = ReadFlagId(map);
        var meterConstant = ReadMeterConstant(map, kind);
        var joinWindow = ReadJoinWindow(map, kind);
        var quirks = ReadQuirks(map, kind);
        map.RejectUnknownFields();
        if (quirks is not null && quirks.Has(QuirkKind.PulseMiscount) && meterConstant is null)
        {
            map.Error("quirks", "quirk 'pulse-miscount' needs the model's 'meterConstant' (impulses per kWh): without a pulse LED there is nothing to miscount");
            quirks = null;
        }

        if (manufacturer is null || model is null || kind is null || hardware is null || firmware is null || hash is null || quirks is null || flagId is null)
        {
            return null;
        }

        return new DeviceModelDefinition(map.File, manufacturer, model, kind.Value, smets ?? string.Empty, hardware, firmware, hash.Value, quirks)
        {
            FlagId = flagId,
            MeterConstant = meterConstant,
            JoinWindow = joinWindow,
        };
    }

    private static string? ReadFlagId(YamlMap map)
    {
        var text = map.Scalar("flagId", false, "the manufacturer's three-letter FLAG ID, as in the optical identification message");
        if (text is null)
        {
            return DeviceModelDefinition.DefaultFlagId;
        }

        if (text.Length == 3 && text.All(char.IsAsciiLetter))
        {
            return text;
        }

        map.Error("flagId", $"'{text}' is not a FLAG ID; write the three letters the meter sends after '/' in its optical identification, e.g. SDC");
        return null;
    }

    private static int? ReadMeterConstant(YamlMap map, ModelKind? kind)
    {
        var value = map.Integer("meterConstant", false, "the pulse LED's impulses per kWh, e.g. 1000");
        if (value is null)
        {
            return null;
        }

        if (kind is { } k && k != ModelKind.ESME)
        {
            map.Error("meterConstant", $"{Grammar.A(k)} model has no pulse LED in imp/kWh; only an ESME model takes a meter constant");
            return null;
        }

        if (value is < 1 or > 100_000)
        {
            map.Error("meterConstant", $"{value} imp/kWh is not a meter constant; nameplates say 100 to 10000 (write e.g. 1000)");
            return null;
        }

        return value;
    }

    private static JoinWindowPolicy? ReadJoinWindow(YamlMap map, ModelKind? kind)
    {
        var text = map.Scalar("joinWindow", false, "'button, 60s': joins only for a while after the device's button is pressed");
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var duration = parts.Length == 2 && parts[0] == "button" ? ParseDuration(parts[1]) : null;
        if (duration is null || duration <= TimeSpan.Zero)
        {
            map.Error("joinWindow", $"'{text}' is not a join window; write 'button, 60s' (opened by the device's button, for that long)");
            return null;
        }

        if (kind is { } k && k is not (ModelKind.CH or ModelKind.ESME or ModelKind.GSME))
        {
            map.Error("joinWindow", $"{Grammar.A(k)} model keeps no Device Log that devices join; a join window belongs to a meter or a CH (its GPF)");
            return null;
        }

        return new JoinWindowPolicy(duration.Value);
    }

    private static QuirkSet? ReadQuirks(YamlMap map, ModelKind? kind)
    {
        var node = map.Node("quirks");
        if (node is null)
        {
            return QuirkSet.None;
        }

        if (node is not YamlSequenceNode list)
        {
            map.Error(node, "quirks", $"expected a list of quirk names, found {YamlMap.Describe(node)}; known quirks: {string.Join(", ", Quirk.Names.Keys)}");
            return null;
        }

        var quirks = new List<Quirk>();
        var ok = true;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var field = $"quirks[{i}]";
            var item = list.Children[i];
            var quirk = item switch
            {
                YamlScalarNode s => Named(map, s, s.Value ?? string.Empty, field, null),
                YamlMappingNode { Children.Count: 1 } m => WithSettings(map, m, field),
                _ => Fail(map, item, field, $"expected a quirk name, or 'name: {{ settings }}', found {YamlMap.Describe(item)}"),
            };
            if (quirk is null)
            {
                ok = false;
                continue;
            }

            if (kind is { } k && !Quirk.AppliesTo(quirk.Kind, k))
            {
                map.Error(item, field, $"quirk '{quirk.Name}' changes a behaviour {Grammar.A(k)} model does not have; remove it or move it to the model that has it");
                ok = false;
            }
            else if (quirks.Any(q => q.Kind == quirk.Kind))
            {
                map.Error(item, field, $"quirk '{quirk.Name}' is listed twice");
                ok = false;
            }
            else
            {
                quirks.Add(quirk);
            }
        }

        return ok ? new QuirkSet(quirks) : null;
    }

    private static Quirk? WithSettings(YamlMap map, YamlMappingNode item, string field)
    {
        var (keyNode, valueNode) = item.Children.First();
        var name = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
        var settings = YamlMap.From(valueNode, map.File, $"{map.FieldPath(field)}.{name}", ErrorsOf(map), "the quirk's settings");
        return settings is null ? null : Named(map, keyNode, name, field, settings);
    }

    private static Quirk? Named(YamlMap map, YamlNode node, string name, string field, YamlMap? settings)
    {
        if (!Quirk.Names.TryGetValue(name, out var kind))
        {
            return Fail(map, node, field, $"'{name}' is not a known quirk; known quirks: {string.Join(", ", Quirk.Names.Keys)}");
        }

        TimeSpan? delay = null;
        int? every = null;
        if (settings is not null)
        {
            if (kind == QuirkKind.PulseMiscount)
            {
                every = settings.Integer("every", false, "one pulse in how many is missed, e.g. 50");
                if (every is < 2)
                {
                    settings.Error("every", $"{every} would miss every pulse; write 2 or more (one pulse in 'every' is missed)");
                    return null;
                }
            }

            if (kind == QuirkKind.LateResponses)
            {
                var text = settings.Scalar("delay", false, "a duration such as 45s or 1500ms");
                if (text is not null)
                {
                    delay = ParseDuration(text);
                    if (delay is null)
                    {
                        settings.Error("delay", $"'{text}' is not a duration; write e.g. 45s, 1500ms or 2m");
                        return null;
                    }
                }
            }

            settings.RejectUnknownFields();
        }

        return new Quirk(kind, delay, every);
    }

    private static Quirk? Fail(YamlMap map, YamlNode node, string field, string message)
    {
        map.Error(node, field, message);
        return null;
    }

    private static ErrorSink ErrorsOf(YamlMap map) => map.Errors;

    /// <summary>"45s", "1500ms", "2m", "1.5s".</summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        (string Suffix, double Scale)[] units = [("ms", 0.001), ("s", 1), ("m", 60)];
        foreach (var (suffix, scale) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                && value >= 0)
            {
                return TimeSpan.FromSeconds(value * scale);
            }
        }

        return null;
    }
}

using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using YamlDotNet.RepresentationModel;

namespace SecDcc.Cli.Ppc;

/// <summary>One Device of a combination: its type in the system and its Device Model (with any firmware override applied).</summary>
public sealed record CombinationDevice(string Type, string ModelPath, DeviceModelDefinition Model);

/// <summary>A SMETS1 system's combination of Device Models, as a combination file names it.</summary>
public sealed record CombinationDefinition(string Name, string? Description, string SourcePath, IReadOnlyList<CombinationDevice> Devices)
{
    /// <summary>The identity a PPC or EPC verdict is scoped to: any change of a component's version changes it.</summary>
    public string Identity => CombinationIdentity.Of(Devices.Select(d => (d.Model.Manufacturer, d.Model.Model, d.Model.HardwareVersion, d.Model.FirmwareVersion)));

    /// <summary>The distinct Device Models, as the DCC's PPC request takes them.</summary>
    public IReadOnlyList<DeviceModelDefinition> DistinctModels =>
        Devices.Select(d => d.Model).DistinctBy(m => (m.Manufacturer, m.Model, m.HardwareVersion, m.FirmwareVersion)).ToList();
}

/// <summary>
/// Loads rigs/combinations/*.yaml. Every problem is reported at once as file:line:column: field: what is wrong — how to
/// fix it, the rig files' form; a model file's own problems come with its path and line.
/// <code>
/// name: good                               # required
/// description: one line                    # optional
/// devices:                                 # required; exactly one CHF
///   - type: ESME                           # CHF, GPF, ESME, GSME, PPMID, HCALCS, IHD, CAD
///     model: ../models/emulated-esme.yaml  # required: a Device Model file, relative to this file
///     firmwareVersion: "4.1.0"             # optional: the firmware the device runs, if not the model file's
/// </code>
/// </summary>
public static class CombinationFile
{
    private static readonly string[] Types = ["CHF", "GPF", "ESME", "GSME", "PPMID", "HCALCS", "IHD", "CAD"];
    private static readonly string[] TopFields = ["name", "description", "devices"];
    private static readonly string[] DeviceFields = ["type", "model", "firmwareVersion"];

    /// <exception cref="RigFileException">The file or a model file it names is missing or invalid.</exception>
    public static CombinationDefinition Load(string path)
    {
        var errors = new List<RigFileError>();
        void Error(YamlNode? node, string field, string message) =>
            errors.Add(new RigFileError(path, (int)(node?.Start.Line ?? 1), (int)(node?.Start.Column ?? 1), field, message));

        YamlMappingNode? root = null;
        try
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(path);
            stream.Load(reader);
            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode;
            if (root is null)
                Error(null, "(file)", "the file holds no mapping — start with 'name:' and 'devices:' (see rigs/combinations/good.yaml)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error(null, "(file)", $"cannot read the combination file: {e.Message}");
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            errors.Add(new RigFileError(path, (int)e.Start.Line, (int)e.Start.Column, "(yaml)", $"not valid YAML: {e.Message}"));
        }
        if (root is null)
            throw new RigFileException(errors);

        CheckFields(root, TopFields, "", Error);
        var name = Scalar(root, "name", "", Error, required: true);
        var description = Scalar(root, "description", "", Error, required: false);
        var devices = new List<CombinationDevice>();
        if (!root.Children.TryGetValue("devices", out var devicesNode) || devicesNode is not YamlSequenceNode sequence || sequence.Children.Count == 0)
            Error(devicesNode ?? root, "devices", "missing or empty — list the system's Devices, each with 'type' and 'model'");
        else
            for (var i = 0; i < sequence.Children.Count; i++)
                if (ReadDevice(path, sequence.Children[i], $"devices[{i}]", Error, errors) is { } device)
                    devices.Add(device);
        if (devicesNode is YamlSequenceNode && devices.Count(d => d.Type == "CHF") != 1 && errors.Count == 0)
            Error(devicesNode, "devices", $"a SMETS1 system has exactly one CHF; this lists {devices.Count(d => d.Type == "CHF")}");
        if (errors.Count > 0)
            throw new RigFileException(errors.OrderBy(e => e.File == path ? 0 : 1).ThenBy(e => e.Line).ToList());
        return new CombinationDefinition(name!, description, path, devices);
    }

    private static CombinationDevice? ReadDevice(string path, YamlNode node, string at, Action<YamlNode?, string, string> error, List<RigFileError> errors)
    {
        if (node is not YamlMappingNode map)
        {
            error(node, at, "each device is a mapping with 'type' and 'model'");
            return null;
        }
        CheckFields(map, DeviceFields, at + ".", error);
        var type = Scalar(map, "type", at + ".", error, required: true);
        if (type is not null && !Types.Contains(type))
        {
            error(map.Children[new YamlScalarNode("type")], at + ".type", $"'{type}' is not a Device type — use one of {string.Join(", ", Types)}");
            type = null;
        }
        var modelPath = Scalar(map, "model", at + ".", error, required: true);
        var firmware = Scalar(map, "firmwareVersion", at + ".", error, required: false);
        if (type is null || modelPath is null)
            return null;
        var full = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, modelPath);
        if (!File.Exists(full))
        {
            error(map.Children[new YamlScalarNode("model")], at + ".model", $"{modelPath} does not exist (looked for {full}) — model paths are relative to the combination file");
            return null;
        }
        try
        {
            var model = DeviceModelFile.Load(full);
            return new CombinationDevice(type, full, firmware is null ? model : model with { FirmwareVersion = firmware });
        }
        catch (RigFileException e)
        {
            errors.AddRange(e.Errors);
            return null;
        }
    }

    private static string? Scalar(YamlMappingNode map, string key, string prefix, Action<YamlNode?, string, string> error, bool required)
    {
        if (!map.Children.TryGetValue(key, out var node))
        {
            if (required)
                error(map, prefix + key, $"missing — add '{key}:'");
            return null;
        }
        if (node is YamlScalarNode { Value: { } v } && !string.IsNullOrWhiteSpace(v))
            return v.Trim();
        error(node, prefix + key, "must be a non-empty text value");
        return null;
    }

    private static void CheckFields(YamlMappingNode map, string[] allowed, string prefix, Action<YamlNode?, string, string> error)
    {
        foreach (var key in map.Children.Keys.OfType<YamlScalarNode>())
            if (!allowed.Contains(key.Value))
                error(key, prefix + key.Value, $"unknown field '{key.Value}' (allowed here: {string.Join(", ", allowed)})");
    }
}

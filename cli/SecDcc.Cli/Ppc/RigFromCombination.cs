using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace SecDcc.Cli.Ppc;

/// <summary>
/// Writes a rig file of emulated devices from a combination: one device per entry, of the entry's Device Model, so a
/// model's quirks come along. A firmware override gets a copy of the model file with that firmware version.
/// </summary>
public static class RigFromCombination
{
    /// <returns>The rig file's path.</returns>
    public static string Write(CombinationDefinition combination, string directory, int wanPort)
    {
        Directory.CreateDirectory(directory);
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"# Built by secdcc ppc run from {combination.SourcePath} (identity {combination.Identity}).");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"name: ppc-{combination.Name}");
        yaml.AppendLine("state: state");
        yaml.AppendLine("wan:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  gateway: 127.0.0.1:{wanPort}");
        yaml.AppendLine("devices:");
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < combination.Devices.Count; i++)
        {
            var d = combination.Devices[i];
            counts[d.Type] = counts.GetValueOrDefault(d.Type) + 1;
            var name = d.Type.ToLowerInvariant() + (counts[d.Type] > 1 ? $"-{counts[d.Type]}" : "");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - name: {name}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    id: 00-DB-7E-57-00-00-00-{i + 1:X2}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    type: {d.Type}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    model: {ModelFile(d, directory, name)}");
            yaml.AppendLine("    port: emulated");
        }
        var path = Path.Combine(directory, "rig.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    private static string ModelFile(CombinationDevice device, string directory, string name)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(device.ModelPath))
            stream.Load(reader);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        if (root.Children.TryGetValue("firmwareVersion", out var fw) && ((YamlScalarNode)fw).Value == device.Model.FirmwareVersion)
            return device.ModelPath;
        root.Children[new YamlScalarNode("firmwareVersion")] = new YamlScalarNode(device.Model.FirmwareVersion) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };
        var copy = Path.Combine(directory, $"model-{name}.yaml");
        using (var writer = new StreamWriter(copy))
            stream.Save(writer, assignAnchors: false);
        return copy;
    }
}

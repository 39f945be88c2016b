using System.Globalization;
using System.Net;
using System.Text.Json;

namespace SecDcc.Docker.Engine;

/// <summary>Reads the engine's JSON leniently: Docker omits fields, sends nulls and adds fields between versions.</summary>
internal static class DockerJson
{
    public static string Str(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;

    public static long Long(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    public static bool Bool(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    public static JsonElement Obj(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    public static IReadOnlyList<string> Strings(this JsonElement e, string name)
    {
        var v = e.Obj(name);
        return v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];
    }

    public static IReadOnlyDictionary<string, string> Map(this JsonElement e, string name)
    {
        var v = e.Obj(name);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (v.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in v.EnumerateObject())
            {
                map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.ToString();
            }
        }

        return map;
    }

    /// <summary>Docker writes "0001-01-01T00:00:00Z" for "never"; that becomes null.</summary>
    public static DateTimeOffset? Time(this JsonElement e, string name)
    {
        var text = e.Str(name);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1
            ? t
            : null;
    }

    public static ContainerInfo ParseContainer(JsonElement root)
    {
        var state = root.Obj("State");
        var health = state.Obj("Health");
        HealthState? healthState = health.ValueKind == JsonValueKind.Object
            ? new HealthState(
                health.Str("Status"),
                (int)health.Long("FailingStreak"),
                health.Obj("Log").ValueKind == JsonValueKind.Array
                    ? health.Obj("Log").EnumerateArray().Select(l => new HealthProbe(
                        l.Time("Start") ?? default, l.Time("End") ?? default, (int)l.Long("ExitCode"), l.Str("Output"))).ToList()
                    : [])
            : null;

        var ports = new Dictionary<ContainerPort, IReadOnlyList<IPEndPoint>>();
        var portMap = root.Obj("NetworkSettings").Obj("Ports");
        if (portMap.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in portMap.EnumerateObject())
            {
                var endpoints = new List<IPEndPoint>();
                if (p.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var b in p.Value.EnumerateArray())
                    {
                        if (int.TryParse(b.Str("HostPort"), NumberStyles.None, CultureInfo.InvariantCulture, out var hostPort)
                            && IPAddress.TryParse(b.Str("HostIp") is { Length: > 0 } ip ? ip : "0.0.0.0", out var address))
                        {
                            endpoints.Add(new IPEndPoint(address, hostPort));
                        }
                    }
                }

                ports[ContainerPort.Parse(p.Name)] = endpoints;
            }
        }

        var config = root.Obj("Config");
        return new ContainerInfo(
            root.Str("Id"),
            root.Str("Name").TrimStart('/'),
            config.Str("Image"),
            config.Map("Labels"),
            new ContainerState(
                state.Str("Status"),
                state.Bool("Running"),
                state.Long("ExitCode"),
                state.Bool("OOMKilled"),
                state.Str("Error"),
                state.Time("StartedAt"),
                state.Time("FinishedAt"),
                healthState),
            ports,
            config.Bool("Tty"));
    }

    public static ImageInfo ParseImage(JsonElement root) => new(
        root.Str("Id"),
        root.Strings("RepoTags"),
        root.Strings("RepoDigests"),
        root.Long("Size"),
        root.Time("Created") ?? default,
        root.Obj("Config").Map("Labels"));

    public static ImageSummary ParseImageSummary(JsonElement e) => new(
        e.Str("Id"),
        e.Strings("RepoTags"),
        e.Long("Size"),
        DateTimeOffset.FromUnixTimeSeconds(e.Long("Created")),
        e.Map("Labels"));

    public static ContainerSummary ParseSummary(JsonElement e) => new(
        e.Str("Id"),
        e.Strings("Names").Select(n => n.TrimStart('/')).ToList(),
        e.Str("Image"),
        e.Str("State"),
        e.Str("Status"),
        DateTimeOffset.FromUnixTimeSeconds(e.Long("Created")),
        e.Map("Labels"));

    /// <summary>The engine's error text from an error response body ({"message": "..."}), or the body itself.</summary>
    public static string ErrorMessage(string body)
    {
        if (body.Length == 0)
        {
            return "(no message)";
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var message = doc.RootElement.Str("message");
            return message.Length > 0 ? message : body.Trim();
        }
        catch (JsonException)
        {
            return body.Trim();
        }
    }
}

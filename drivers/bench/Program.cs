using System.Globalization;
using SecDcc.Drivers.Bench;

var mib = 32;
var runs = 5;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--mib" when i + 1 < args.Length:
            mib = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--runs" when i + 1 < args.Length:
            runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine("usage: SecDcc.Drivers.Bench [--mib N] [--runs N]");
            return 2;
    }
}

var bytes = mib << 20;
Console.WriteLine($"serial driver over a pseudo-terminal at 115200 baud: {mib} MiB per path per round, {runs} rounds");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine();

var paths = new (string Direction, string Path, Func<int, CancellationToken, Task<TimeSpan>> Run)[]
{
    ("read", "raw loop", PtyPaths.ReadRawAsync),
    ("read", "cat", PtyPaths.ReadCatAsync),
    ("read", "SerialPort", PtyPaths.ReadDriverAsync),
    ("write", "raw loop", PtyPaths.WriteRawAsync),
    ("write", "cat", PtyPaths.WriteCatAsync),
    ("write", "SerialPort", PtyPaths.WriteDriverAsync),
};

using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));

// One unmeasured pass warms the JIT and the page cache.
foreach (var path in paths)
{
    await path.Run(Math.Min(bytes, 4 << 20), deadline.Token);
}

// Rounds run every path once, one after the other, so a change in the machine's load (other builds share
// it) falls on all paths alike; the ratios are taken within each round, then the median across rounds.
var rates = paths.ToDictionary(p => (p.Direction, p.Path), _ => new List<double>());
var ratios = new Dictionary<string, List<double>>();
for (var round = 0; round < runs; round++)
{
    var thisRound = new Dictionary<(string, string), double>();
    foreach (var (direction, path, run) in paths)
    {
        var elapsed = await run(bytes, deadline.Token);
        thisRound[(direction, path)] = bytes / elapsed.TotalSeconds;
        rates[(direction, path)].Add(bytes / elapsed.TotalSeconds);
    }

    foreach (var direction in new[] { "read", "write" })
    {
        foreach (var baseline in new[] { "cat", "raw loop" })
        {
            var key = $"{direction} SerialPort / {baseline}";
            ratios.TryAdd(key, []);
            ratios[key].Add(thisRound[(direction, "SerialPort")] / thisRound[(direction, baseline)]);
        }
    }
}

foreach (var ((direction, path), list) in rates)
{
    Console.WriteLine(
        $"{direction,-6}{path,-12}{Median(list) / (1 << 20),8:0.0} MiB/s median   (rounds: {string.Join(", ", list.Select(x => (x / (1 << 20)).ToString("0", CultureInfo.InvariantCulture)))})");
}

Console.WriteLine();
foreach (var (name, list) in ratios)
{
    Console.WriteLine($"{name,-28} = {Median(list):0.00} median   (rounds: {string.Join(", ", list.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)))})");
}

const double LineRate = 115200 / 10.0;
Console.WriteLine();
Console.WriteLine(
    $"a real 115200 8N1 line moves {LineRate:0} bytes/s; the driver's median here is {Median(rates[("read", "SerialPort")]) / LineRate:0}x that reading " +
    $"and {Median(rates[("write", "SerialPort")]) / LineRate:0}x writing");
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "unknown";
    }
}

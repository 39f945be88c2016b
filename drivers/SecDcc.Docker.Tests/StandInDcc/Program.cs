using System.Net;
using System.Net.Sockets;
using System.Text;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
var config = builder.Configuration;

// Test hook: behave like a service that fails during start-up.
if (config["exit-at-start"] is { } code)
{
    Console.Error.WriteLine($"stand-in DCC: refusing to start with exit code {code}, as asked");
    return int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
}

var dataFile = config["data"] ?? "/data/smi.db";
Directory.CreateDirectory(Path.GetDirectoryName(dataFile)!);
File.WriteAllText(dataFile, "stand-in store\n");

var wanPort = int.Parse(config["SECDCC_WAN_PORT"] ?? "7070", System.Globalization.CultureInfo.InvariantCulture);
var readyAfter = TimeSpan.FromMilliseconds(double.Parse(config["ready-after-ms"] ?? "0", System.Globalization.CultureInfo.InvariantCulture));
var started = DateTime.UtcNow;

var app = builder.Build();
app.MapGet("/health/live", () => Results.Ok("live"));
app.MapGet("/health/ready", () => DateTime.UtcNow - started >= readyAfter ? Results.Ok("ready") : Results.StatusCode(503));
app.MapGet("/whoami", () => Results.Ok(new
{
    uid = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1],
    dataFile,
    dataFileExists = File.Exists(dataFile),
    args,
}));
app.MapGet("/slow", async (CancellationToken ct) =>
{
    await Task.Delay(TimeSpan.FromMinutes(5), ct);
    return Results.Ok("slow");
});

var wan = new TcpListener(IPAddress.Any, wanPort);
wan.Start();
_ = Task.Run(async () =>
{
    while (true)
    {
        using var client = await wan.AcceptTcpClientAsync();
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("SECDCC-WAN stand-in\n"));
    }
});

app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"stand-in DCC listening on {string.Join(", ", app.Urls)}; WAN on {wanPort}; data at {dataFile}"));
app.Lifetime.ApplicationStopping.Register(() => Console.WriteLine("stand-in DCC stopping"));
app.Run();
return 0;

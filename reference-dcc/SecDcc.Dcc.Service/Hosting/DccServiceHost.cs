using System.Text.Json;
using System.Text.Json.Serialization;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Service.Api;
using SecDcc.Dcc.Service.Wan;
using SecDcc.Dcc.Time;

namespace SecDcc.Dcc.Service.Hosting;

/// <summary>Builds the reference DCC's web application: options, store, clock, JSON, limits, problem details and the endpoint groups.</summary>
public static class DccServiceHost
{
    /// <summary>PEM text of one or more Panel public keys, read in addition to any --panel-key files.</summary>
    public const string PanelKeysVariable = "SECDCC_PANEL_KEYS_PEM";

    /// <summary>Builds the app, or prints why not and returns null.</summary>
    public static async Task<WebApplication?> BuildAsync(string[] args, CancellationToken ct = default)
    {
        var (options, error) = ServiceOptions.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(error);
            return null;
        }
        var builder = WebApplication.CreateBuilder([.. options.PassThrough]);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        builder.Services.ConfigureHttpJsonOptions(j => Configure(j.SerializerOptions));
        builder.Services.AddProblemDetails();

        var panelKeys = new List<string>();
        foreach (var file in options.PanelKeyFiles)
        {
            if (!File.Exists(file))
            {
                await Console.Error.WriteLineAsync($"--panel-key: the file '{Path.GetFullPath(file)}' does not exist.");
                return null;
            }
            panelKeys.Add(await File.ReadAllTextAsync(file, ct));
        }
        // A container gets its Panel key(s) as PEM text in the environment: a file would need a bind mount.
        if (Environment.GetEnvironmentVariable(PanelKeysVariable) is { Length: > 0 } pem)
            panelKeys.Add(pem);
        IClock clock = options.TestMode ? new VirtualClock(options.ClockStart ?? DateTimeOffset.UtcNow) : SystemClock.Instance;
        if (Duis.DuisInterface.Add(builder.Services, options, clock) is { } duisError)
        {
            await Console.Error.WriteLineAsync(duisError);
            return null;
        }
        ISmiStore store = options.PostgresConnectionString is { } pg ? new PostgresSmiStore(pg) : new SqliteSmiStore(options.DataPath);
        var dccOptions = new DccOptions { PanelPublicKeysPem = panelKeys, CplSmiUpdateDelay = options.CplSmiUpdateDelay };
        ReferenceDcc dcc;
        try
        {
            dcc = await ReferenceDcc.OpenAsync(store, clock, dccOptions, ct);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return null;
        }
        catch (System.Data.Common.DbException e)
        {
            await Console.Error.WriteLineAsync($"The {store.Kind} store could not be opened or migrated: {e.Message}. " +
                (store.Kind == "postgres" ? "Check the --postgres connection string and that the server is running." : "Check the --data path and its permissions."));
            return null;
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(dcc);
        builder.Services.AddSingleton(clock);
        builder.Services.AddHostedService<DutyRunner>();
        if (builder.Services.AddWanGateway(options) is { } wanError)
        {
            await Console.Error.WriteLineAsync(wanError);
            return null;
        }

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        Duis.DuisInterface.MapDuisApi(app, options.TestMode);
        app.MapHealthApi();
        app.MapInventoryApi(options.TestMode);
        app.MapProductsApi();
        app.MapNotificationsApi();
        app.MapPostCommissioningApi(options.TestMode);
        app.MapWanApi(options.TestMode);
        if (clock is VirtualClock virtualClock)
            app.MapClockApi(virtualClock);
        app.Lifetime.ApplicationStopped.Register(() => dcc.DisposeAsync().AsTask().GetAwaiter().GetResult());
        return app;
    }

    public static void Configure(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.Converters.Add(new JsonStringEnumConverter());
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }
}

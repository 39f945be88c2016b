using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SecDcc.Dcc.Service.Devices;
using SecDcc.Dcc.Service.Duis.Devices;
using SecDcc.Dcc.Service.Duis.NonDevice;
using SecDcc.Dcc.Service.Duis.Parties;
using SecDcc.Dcc.Service.Duis.Replay;
using SecDcc.Dcc.Service.Hosting;
using SecDcc.Dcc.Time;
using SecDcc.Duis;
using SecDcc.Duis.Signing;
using SecDcc.Duis.Xml;

namespace SecDcc.Dcc.Service.Duis;

/// <summary>Wires the DUIS interface into the service: <see cref="Add"/> before the app is built, <see cref="MapDuisApi"/> after.</summary>
public static class DuisInterface
{
    /// <summary>
    /// Registers the DUIS services: the Users (from --duis-test-parties and --duis-parties), the DCC's signing key, the
    /// replay counters beside the SMI, the request handlers and the device-response delivery. Returns null, or why the
    /// options cannot be used.
    /// </summary>
    public static string? Add(IServiceCollection services, ServiceOptions options, IClock clock)
    {
        var parties = new PartyRegistry();
        var callbacks = new CallbackRegistry();
        DuisSigningCredentials? credentials = null;
        string source;
        try
        {
            if (options.DuisTestParties)
            {
                var keystore = PartySources.LoadKeystore(options.DuisKeystorePath);
                foreach (var party in PartySources.Zaz1FromKeystore(keystore))
                    parties.Register(party);
                credentials = keystore.GetXmlSigningCredentials(DccIdentity.DccBoxedEui);
                source = "the DCC Boxed DSP key (dsp-xml-sign-90B3D51F30000002-ds) from the ZAZ1 keystore";
            }
            else
            {
                source = "a key made at start-up (GET /api/v1/dcc-certificate gives its certificate)";
            }
            foreach (var file in options.DuisPartyFiles)
                foreach (var (party, callback) in PartySources.LoadFile(file))
                {
                    parties.Register(party);
                    if (callback is not null)
                        callbacks.Set(party.Id, callback);
                }
            foreach (var entry in options.DuisCallbacks)
            {
                var (eui, url) = (entry[..entry.IndexOf('=')], entry[(entry.IndexOf('=') + 1)..]);
                if (!Eui64.TryParse(eui, out var user, out var why))
                    return $"--duis-callback {entry}: {why}";
                if (!CallbackRegistry.TryParseUrl(url, out var uri, out why))
                    return $"--duis-callback {entry}: {why}";
                callbacks.Set(user, uri);
            }
            if (options.DccSigningCertFile is { } certFile && options.DccSigningKeyFile is { } keyFile)
            {
                credentials?.Dispose();
                credentials = DuisSigningCredentials.FromPem(ReadFile(certFile, "--dcc-signing-cert"), ReadFile(keyFile, "--dcc-signing-key"));
                source = $"the key in {keyFile}";
            }
        }
        catch (PartyRegistrationException e)
        {
            credentials?.Dispose();
            return e.Message;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or KeyNotFoundException or FormatException or IOException)
        {
            credentials?.Dispose();
            return $"The DUIS interface could not be set up: {e.Message}";
        }

        var identity = new DccIdentity(credentials ?? DccIdentity.Ephemeral(clock.UtcNow), clock, source);
        services.AddSingleton(parties);
        services.AddSingleton(callbacks);
        services.AddSingleton(identity);
        services.AddSingleton(_ => RequestCounterStore.For(options));
        services.AddSingleton(new DuisXmlLoadOptions { MaxBytes = (int)Math.Min(options.MaxBodyBytes, int.MaxValue) });
        services.AddSingleton<NonDeviceServiceRequests>();
        services.AddSingleton<DeviceServiceRequests>();
        services.AddSingleton<DuisServiceEndpoint>();
        services.AddSingleton<ResponseOutbox>();
        services.TryAddSingleton(new CallbackDeliveryOptions());
        services.AddSingleton<CallbackDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<CallbackDelivery>());
        services.AddSingleton<DuisDeviceResponses>();
        services.AddSingleton<IDeviceOutcomeSink>(sp => sp.GetRequiredService<DuisDeviceResponses>());
        return null;
    }

    private static string ReadFile(string path, string option) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new IOException($"{option}: the file '{Path.GetFullPath(path)}' does not exist.");

    /// <summary>Maps the DUIS endpoints and their JSON companions (Users, callbacks, the poll endpoint, the DCC's certificate).</summary>
    public static IEndpointRouteBuilder MapDuisApi(this IEndpointRouteBuilder app, bool testMode)
    {
        var identity = app.ServiceProvider.GetRequiredService<DccIdentity>();
        var parties = app.ServiceProvider.GetRequiredService<PartyRegistry>();
        app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DuisInterface))
            .LogInformation("DUIS: {Users} registered User(s); responses signed by {Source} as {Eui}.", parties.All.Count, identity.Source, identity.Eui);
        app.MapDuisServiceApi();
        app.MapDuisUsersApi(testMode);
        return app;
    }
}

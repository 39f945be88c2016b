using SecDcc.Dcc.Service.Devices;
using SecDcc.Dcc.Service.Hosting;
using SecDcc.DeviceProtocol.Wan;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>Registers the SM WAN gateway and the <see cref="IDeviceRequests"/> it implements.</summary>
public static class WanServices
{
    /// <summary>Adds the gateway's services; returns why the --wan-* switches cannot be used, or null.</summary>
    public static string? AddWanGateway(this IServiceCollection services, ServiceOptions service)
    {
        var (options, error) = WanOptions.From(service);
        if (error is not null)
            return error;

        services.AddSingleton(new WanGatewayInfo(options));
        // Without a gateway there is no IDeviceRequests at all: the DUIS endpoint then applies AC 2.7 itself and says the
        // SM WAN is not available.
        if (options is null)
            return null;

        services.AddSingleton<OutcomeDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutcomeDispatcher>());
        services.AddSingleton<IDeviceRequests, WanDeviceRequests>();
        services.AddSingleton<HubDirectory>();
        services.AddSingleton<WanStatistics>();
        services.AddSingleton<WanSmiGate>();
        if (service.TestMode)
        {
            services.AddSingleton<WanRequestLog>();
            services.AddSingleton<IDeviceOutcomeSink>(sp => sp.GetRequiredService<WanRequestLog>());
        }

        DccWanIdentity identity;
        try
        {
            identity = options.KeyFile is null ? DccWanIdentity.Generate() : DccWanIdentity.Load(options.KeyFile, options.CertificateFile!);
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }

        var trust = new DeviceTrust();
        foreach (var file in options.DeviceIssuerFiles)
        {
            if (!File.Exists(file))
                return $"--wan-device-ca: the file '{Path.GetFullPath(file)}' does not exist.";
            var added = trust.AddIssuerPem(File.ReadAllText(file));
            if (!added.IsSuccess)
                return $"--wan-device-ca '{Path.GetFullPath(file)}': {added.Refusal!.Message}";
        }

        services.AddSingleton(identity);
        services.AddSingleton(trust);
        // Hubs whose Device Model speaks another protocol get their adapter registered here.
        services.AddSingleton(new WanAdapterRegistry(ReferenceWanAdapter.Instance));
        services.AddSingleton(sp => new WanGatewayContext(
            sp.GetRequiredService<ReferenceDcc>(),
            sp.GetRequiredService<WanStatistics>(),
            sp.GetRequiredService<HubDirectory>(),
            sp.GetRequiredService<OutcomeDispatcher>(),
            sp.GetRequiredService<WanAdapterRegistry>(),
            sp.GetRequiredService<WanSmiGate>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<WanGateway>(),
            new CredentialResponses(sp.GetRequiredService<ReferenceDcc>().PostCommissioning, identity.DccId, options.RecoveryIds)));
        services.AddHostedService<WanGateway>();
        return null;
    }
}

namespace SecDcc.DeviceProtocol.Wan;

/// <summary>
/// How the DCC's WAN gateway talks to one kind of hub. SMETS1 hubs do not share a protocol, so the gateway
/// picks an adapter by the CHF's Device Model; the reference device link (<see cref="ReferenceWanAdapter"/>)
/// is the first. A manufacturer whose hub speaks something else adds an adapter, not a fork.
/// </summary>
public interface IWanAdapter
{
    /// <summary>The protocol's name, e.g. "secdcc-device-link/1".</summary>
    string Name { get; }

    /// <summary>Starts a session over a connected transport (a TCP stream, or a serial WAN line's stream).</summary>
    /// <param name="ownsTransport">Dispose the transport with the session.</param>
    IWanSession Open(Stream transport, WanSessionOptions options, bool ownsTransport = true);
}

/// <summary>The reference protocol of this project: device link frames carrying <see cref="Messages.DeviceMessage"/>s.</summary>
public sealed class ReferenceWanAdapter : IWanAdapter
{
    public static ReferenceWanAdapter Instance { get; } = new();

    public string Name => "secdcc-device-link/1";

    public IWanSession Open(Stream transport, WanSessionOptions options, bool ownsTransport = true) =>
        WanSession.Start(transport, options, ownsTransport);
}

/// <summary>Which adapter speaks for which CHF Device Model; models not registered get the default.</summary>
public sealed class WanAdapterRegistry
{
    private readonly Dictionary<(string Manufacturer, string Model), IWanAdapter> _byModel = [];

    public WanAdapterRegistry(IWanAdapter? defaultAdapter = null)
    {
        Default = defaultAdapter ?? ReferenceWanAdapter.Instance;
    }

    public IWanAdapter Default { get; }

    /// <summary>Registers the adapter for a CHF Device Model (manufacturer and model as on the CPL).</summary>
    public WanAdapterRegistry Register(string manufacturer, string model, IWanAdapter adapter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manufacturer);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(adapter);
        if (!_byModel.TryAdd((manufacturer, model), adapter))
        {
            throw new ArgumentException(
                $"Device Model {manufacturer} {model} already has WAN adapter {_byModel[(manufacturer, model)].Name}; a model speaks one protocol",
                nameof(model));
        }

        return this;
    }

    public IWanAdapter For(string manufacturer, string model) =>
        _byModel.TryGetValue((manufacturer, model), out var adapter) ? adapter : Default;
}

using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Transport;
using SecDcc.Drivers.Link;
using SecDcc.Drivers.Serial;

namespace SecDcc.DeviceProtocol.Local;

/// <summary>What the harness reads from a device through its local port, whatever protocol the port speaks.</summary>
public interface IDeviceLocalPort : IAsyncDisposable
{
    /// <summary>The port's path or description, for messages.</summary>
    string PortName { get; }

    Task<DeviceIdentity> ReadIdentityAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<DeviceLogEntry>> ReadDeviceLogAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<CredentialCell>> ReadCredentialsAsync(CancellationToken cancellationToken);

    Task<DeviceStateInfo> ReadStateAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The reference local-port protocol: device link frames carrying <see cref="LocalQuery"/> and its reports,
/// over a serial port the caller opens (for an emulated device, the slave end of its pseudo-terminal).
/// </summary>
/// <remarks>One query at a time; concurrent callers wait their turn. Frames that answer no current query are skipped.</remarks>
public sealed class LocalPortClient : IDeviceLocalPort
{
    private readonly ISerialPort _port;
    private readonly bool _ownsPort;
    private readonly MessageEndpoint _endpoint;
    private readonly FrameReader _reader;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private uint _requestNumber;

    /// <param name="ownsPort">Dispose the port with the client.</param>
    /// <param name="timeout">How long a query waits for its answer.</param>
    public LocalPortClient(ISerialPort port, bool ownsPort, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(port);
        _port = port;
        _ownsPort = ownsPort;
        Timeout = timeout ?? TimeSpan.FromSeconds(5);
        _reader = new FrameReader(port, new LinkDecoder(MessageTypes.LinkOptions, new VerifierKeyStore()));
        _endpoint = new MessageEndpoint(
            Addresses.LocalHarness,
            new StreamFrameSink(port.AsStream(), port.Name),
            new StreamFrameSource(_reader),
            new ClockCounter(),
            signingKey: null);
    }

    public string PortName => _port.Name;

    public TimeSpan Timeout { get; }

    /// <summary>Link counts for this port: frames accepted and dropped by reason.</summary>
    public LinkStatistics Statistics => _reader.Statistics;

    /// <summary>Opens the serial port at <paramref name="path"/> (8N1, 115200 unless told) and talks to the device behind it.</summary>
    public static LocalPortClient Open(string path, SerialSettings? settings = null, TimeSpan? timeout = null) =>
        new(SerialPort.Open(path, settings ?? new SerialSettings()), ownsPort: true, timeout);

    public async Task<DeviceIdentity> ReadIdentityAsync(CancellationToken cancellationToken) =>
        (await QueryAsync<IdentityReport>(LocalQueryKind.Identity, cancellationToken).ConfigureAwait(false)).Identity;

    public async Task<IReadOnlyList<DeviceLogEntry>> ReadDeviceLogAsync(CancellationToken cancellationToken) =>
        (await QueryAsync<DeviceLogReport>(LocalQueryKind.DeviceLog, cancellationToken).ConfigureAwait(false)).Entries;

    public async Task<IReadOnlyList<CredentialCell>> ReadCredentialsAsync(CancellationToken cancellationToken) =>
        (await QueryAsync<CredentialsReport>(LocalQueryKind.Credentials, cancellationToken).ConfigureAwait(false)).Cells;

    public async Task<DeviceStateInfo> ReadStateAsync(CancellationToken cancellationToken) =>
        (await QueryAsync<StateReport>(LocalQueryKind.State, cancellationToken).ConfigureAwait(false)).State;

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        if (_ownsPort)
        {
            await _port.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async Task<T> QueryAsync<T>(LocalQueryKind kind, CancellationToken cancellationToken)
        where T : LocalReport
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var number = ++_requestNumber;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            try
            {
                await _endpoint.SendAsync(Addresses.Broadcast, new LocalQuery(number, kind), deadline.Token).ConfigureAwait(false);
                while (true)
                {
                    var received = await _endpoint.ReceiveAsync(deadline.Token).ConfigureAwait(false)
                        ?? throw new SerialPortException(SerialError.HungUp, _port.Name, $"{_port.Name} hung up while waiting for the answer to a {kind} query");
                    switch (received.Message)
                    {
                        case LocalError error when error.RequestNumber == number:
                            throw new InvalidOperationException($"the device on {_port.Name} could not answer the {kind} query: {error.Message}");
                        case T report when report.RequestNumber == number:
                            return report;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"no answer to a {kind} query on {_port.Name} within {Timeout.TotalSeconds:0.###} s ({_reader.Statistics}): is the device powered, and is this its local port?");
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}

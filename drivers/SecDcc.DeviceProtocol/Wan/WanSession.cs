using System.Collections.Concurrent;
using System.Threading.Channels;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Transport;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Wan;

/// <summary>
/// The DCC's side of a hub's WAN connection in the reference protocol. Every frame is checked by the device
/// link (CRC, signature with the sender's Device Certificate key, replay) before the session reads it; the
/// session then checks that each message comes from whom it should: a "connected" communication from the CHF
/// it names, a HAN alert from the connected CHF, a response from the device the command went to.
/// </summary>
public sealed class WanSession : IWanSession
{
    private readonly Stream _transport;
    private readonly bool _ownsTransport;
    private readonly WanSessionOptions _options;
    private readonly MessageEndpoint _endpoint;
    private readonly FrameReader _reader;
    private readonly ClockCounter _requestCounter;
    private readonly Channel<WanEvent> _events = Channel.CreateUnbounded<WanEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<RequestId, Pending> _pending = new();
    private readonly ConcurrentDictionary<RequestId, byte> _expired = new();
    private readonly CancellationTokenSource _stop = new();
    private Eui64? _hubId;
    private int _disposed;

    private WanSession(Stream transport, WanSessionOptions options, bool ownsTransport)
    {
        _transport = transport;
        _ownsTransport = ownsTransport;
        _options = options;
        _requestCounter = new ClockCounter(options.Clock);
        var decoder = new LinkDecoder(MessageTypes.LinkOptions, options.Devices, options.Replay ?? new ReplayGuard())
        {
            Dropped = drop => Publish(new FrameRejectedEvent(Now, drop)),
        };
        // One frame per read: the certificates a hub offers must be in the directory before its next frame is checked.
        _reader = new FrameReader(new FrameBoundaryStream(transport), decoder, ownsSource: false);
        _endpoint = new MessageEndpoint(
            options.DccId,
            new StreamFrameSink(transport, options.PeerName),
            new StreamFrameSource(_reader),
            new ClockCounter(options.Clock),
            options.SigningKey)
        {
            Undecodable = (frame, error) => Publish(new MessageRejectedEvent(Now, frame, error.Message)),
        };
        Completion = Task.Run(() => ReadLoopAsync(_stop.Token));
    }

    public Eui64? HubId => _hubId;

    public ChannelReader<WanEvent> Events => _events.Reader;

    public Task Completion { get; }

    /// <summary>What the link received and dropped, by reason.</summary>
    public LinkStatistics Statistics => _reader.Statistics;

    private DateTimeOffset Now => _options.Clock.GetUtcNow();

    /// <summary>Starts reading from <paramref name="transport"/> at once.</summary>
    public static WanSession Start(Stream transport, WanSessionOptions options, bool ownsTransport = true)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ResponseTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ResponseTimeout {options.ResponseTimeout} must be positive", nameof(options));
        }

        return new WanSession(transport, options, ownsTransport);
    }

    public RequestId NewRequestId(Eui64 target) => new(_options.DccId, target, _requestCounter.Next());

    public async Task<CommandOutcome> SendAsync(Eui64 target, DeviceCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.RequestId.Target != target || command.RequestId.Originator != _options.DccId)
        {
            throw new ArgumentException(
                $"request {command.RequestId} must name the DCC {_options.DccId} as originator and {target} as target; use NewRequestId({target})",
                nameof(command));
        }

        if (Completion.IsCompleted)
        {
            throw new WanSessionClosedException($"the WAN session with {_options.PeerName} has ended; {command.Describe()} to {target} was not sent");
        }

        var pending = new Pending(target, new TaskCompletionSource<CommandOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.TryAdd(command.RequestId, pending))
        {
            throw new ArgumentException($"request {command.RequestId} is already waiting for a response; request IDs must not be reused", nameof(command));
        }

        try
        {
            await _endpoint.SendAsync(target, command, cancellationToken).ConfigureAwait(false);
            return await pending.Completion.Task.WaitAsync(_options.ResponseTimeout, _options.Clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _expired.TryAdd(command.RequestId, 0);
            throw new WanTimeoutException(target, command, _options.ResponseTimeout);
        }
        catch (IOException e) when (e is not WanSessionClosedException)
        {
            throw new WanSessionClosedException($"the WAN link to {_options.PeerName} failed while sending {command.Describe()} to {target}: {e.Message}");
        }
        finally
        {
            _pending.TryRemove(command.RequestId, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_ownsTransport)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Disposal is how the loop is meant to stop.
        }

        _reader.Dispose();
        _stop.Dispose();
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var reason = "the hub closed the connection";
        try
        {
            while (await _endpoint.ReceiveAsync(cancellationToken).ConfigureAwait(false) is { } received)
            {
                Handle(received);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reason = "the session was disposed";
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            reason = $"the WAN link failed: {e.Message}";
        }
        finally
        {
            Publish(new SessionEndedEvent(Now, reason));
            _events.Writer.TryComplete();
            foreach (var pending in _pending.Values)
            {
                pending.Completion.TrySetException(new WanSessionClosedException($"the WAN session with {_options.PeerName} ended ({reason}) before a response came"));
            }
        }
    }

    private void Handle(ReceivedMessage received)
    {
        var frame = received.Frame;
        switch (received.Message)
        {
            case DeviceCertificatesMessage certificates:
                foreach (var der in certificates.Certificates)
                {
                    Publish(_options.Devices.TryAdd(der.Span, out var id, out var problem)
                        ? new CertificateEvent(Now, id, true, $"Device Certificate for {id} accepted")
                        : new CertificateEvent(Now, null, false, $"a Device Certificate offered by {frame.Sender} was refused: {problem}"));
                }

                break;

            case HubConnectedAlert connected when frame.Sender != connected.ChfId:
                Reject(frame, $"the 'connected' communication names CHF {connected.ChfId} but was signed by {frame.Sender}: it does not originate from the CHF it identifies (AC 4.2(c))");
                break;

            case HubConnectedAlert connected:
                _hubId = connected.ChfId;
                Publish(new HubConnectedEvent(Now, frame, connected));
                break;

            case HanDeviceAlert alert when _hubId is null:
                Reject(frame, $"a HAN alert for {alert.DeviceId} came before the hub's verified 'connected' communication");
                break;

            case HanDeviceAlert alert when frame.Sender != _hubId || alert.ChfId != _hubId:
                Reject(frame, $"a HAN alert naming CHF {alert.ChfId}, signed by {frame.Sender}, came over the connection of CHF {_hubId}");
                break;

            case HanDeviceAlert alert:
                Publish(new HanDeviceAlertEvent(Now, frame, alert));
                break;

            case CommandResponse response:
                HandleResponse(frame, response);
                break;

            default:
                Reject(frame, $"{received.Message.Describe()} is not something a hub sends to the DCC");
                break;
        }
    }

    private void HandleResponse(LinkFrame frame, CommandResponse response)
    {
        if (_pending.TryGetValue(response.RequestId, out var pending))
        {
            // A CHF answers for a device it cannot reach; anyone else must be the device the command went to.
            var unreachable = frame.Sender == _hubId && response.Reason == ResponseReason.TargetUnreachable;
            if (frame.Sender != pending.Target && !unreachable)
            {
                Reject(frame, $"the response to request {response.RequestId} was signed by {frame.Sender}, but the command went to {pending.Target}");
                return;
            }

            Publish(new ResponseEvent(Now, frame, response, Late: false));
            pending.Completion.TrySetResult(new CommandOutcome(frame, response));
            return;
        }

        if (_expired.TryRemove(response.RequestId, out _) && frame.Sender == response.RequestId.Target)
        {
            Publish(new ResponseEvent(Now, frame, response, Late: true));
            return;
        }

        Reject(frame, $"a response to request {response.RequestId}, which no command of this session is waiting for");
    }

    private void Reject(LinkFrame frame, string reason) => Publish(new MessageRejectedEvent(Now, frame, reason));

    private void Publish(WanEvent e) => _events.Writer.TryWrite(e);

    private sealed record Pending(Eui64 Target, TaskCompletionSource<CommandOutcome> Completion);
}

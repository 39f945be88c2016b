using System.Security.Cryptography;
using SecDcc.DeviceProtocol.Encoding;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Transport;

/// <summary>A frame that passed the link's checks, with its decoded message.</summary>
public sealed record ReceivedMessage(LinkFrame Frame, DeviceMessage Message)
{
    public Eui64 Sender => Frame.Sender;

    public Eui64 Target => Frame.Target;

    public override string ToString() => $"{Message.Describe()} #{Frame.Counter} {Frame.Sender} → {Frame.Target}{(Frame.IsSigned ? ", signed" : string.Empty)}";
}

/// <summary>
/// One end of a device link that speaks typed messages: numbers, signs (as the policy says), encodes and sends
/// them; receives frames and decodes their payloads. A frame whose payload does not decode is skipped, counted
/// and reported through <see cref="Undecodable"/>, so one bad message never stops the link.
/// </summary>
public sealed class MessageEndpoint
{
    private readonly IFrameSink _sink;
    private readonly IFrameSource _source;
    private readonly IFrameCounter _counter;
    private readonly ECDsa? _signingKey;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _undecodable;

    /// <param name="self">This end's EUI-64, written as the sender of every frame it makes.</param>
    /// <param name="signingKey">The private key that signs frames carrying authority, or null for an end that never signs.</param>
    public MessageEndpoint(Eui64 self, IFrameSink sink, IFrameSource source, IFrameCounter counter, ECDsa? signingKey, LinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(counter);
        Self = self;
        _sink = sink;
        _source = source;
        _counter = counter;
        _signingKey = signingKey;
        Options = options ?? MessageTypes.LinkOptions;
        Options.Validate();
    }

    public Eui64 Self { get; }

    public LinkOptions Options { get; }

    public string Name => _sink.Name;

    public LinkStatistics Statistics => _source.Statistics;

    /// <summary>Frames that passed the link's checks but whose payload was not a well-formed message.</summary>
    public long UndecodableCount => Interlocked.Read(ref _undecodable);

    /// <summary>Told of each frame skipped because its payload did not decode; it must not throw.</summary>
    public Action<LinkFrame, DeviceMessageFormatException>? Undecodable { get; set; }

    /// <summary>Sends a message; it is signed when the link's policy says its type carries authority.</summary>
    /// <returns>The frame as sent, with its counter and signature.</returns>
    public ValueTask<LinkFrame> SendAsync(Eui64 target, DeviceMessage message, CancellationToken cancellationToken) =>
        SendAsync(target, message, _signingKey, cancellationToken);

    /// <summary>Sends a message signed with <paramref name="signingKey"/> rather than this end's own key.</summary>
    public async ValueTask<LinkFrame> SendAsync(Eui64 target, DeviceMessage message, ECDsa? signingKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sign = Options.Signatures.Requires(message.MessageType);
        if (sign && signingKey is null)
        {
            throw new InvalidOperationException(
                $"{message.Describe()} carries authority and must be signed, but the endpoint {Self} on {Name} has no signing key");
        }

        var payload = DeviceMessageCodec.Encode(message);
        if (payload.Length > Options.MaxPayloadLength)
        {
            throw new ArgumentException(
                $"{message.Describe()} encodes to {payload.Length} bytes, over the link's limit of {Options.MaxPayloadLength}; send fewer entries or cells at a time",
                nameof(message));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The counter is taken under the gate so frames leave in counter order; a receiver drops a frame
            // that overtook a later-numbered one as a replay.
            var header = new FrameHeader(message.MessageType, _counter.Next(), Self, target);
            var body = FrameCodec.BuildBody(header, payload, sign ? signingKey : null, Options.MaxPayloadLength);
            await _sink.WriteAsync(target, FrameCodec.Stuff(body, Options.EscapeFlowControlBytes), cancellationToken).ConfigureAwait(false);
            var signedLength = FrameFormat.HeaderLength + payload.Length;
            return new LinkFrame(
                FrameFormat.CurrentVersion,
                header,
                payload,
                sign ? body.AsMemory(signedLength, FrameFormat.SignatureLength) : ReadOnlyMemory<byte>.Empty);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Passes on another sender's frame unchanged (see <see cref="FrameRelay"/>).</summary>
    public async ValueTask RelayAsync(LinkFrame frame, CancellationToken cancellationToken)
    {
        var wire = FrameRelay.Encode(frame, Options);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _sink.WriteAsync(frame.Target, wire, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The next well-formed message, or null once the link has ended.</summary>
    public async ValueTask<ReceivedMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (await _source.ReadFrameAsync(cancellationToken).ConfigureAwait(false) is { } frame)
        {
            try
            {
                return new ReceivedMessage(frame, DeviceMessageCodec.Decode(frame.MessageType, frame.Payload));
            }
            catch (DeviceMessageFormatException e)
            {
                Interlocked.Increment(ref _undecodable);
                Undecodable?.Invoke(frame, e);
            }
        }

        return null;
    }

    /// <summary>"accepted 12, dropped 1 (BadSignature 1), 2048 bytes; 0 undecodable".</summary>
    public string DescribeStatistics() => $"{Statistics}; {UndecodableCount} undecodable";
}

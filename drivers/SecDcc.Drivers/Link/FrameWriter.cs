using System.Security.Cryptography;
using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Link;

/// <summary>Sends device link frames for one sender: numbers them, signs them where needed, encodes and writes them.</summary>
/// <remarks>Safe to call from several tasks at once: frames go out whole and in counter order.</remarks>
public sealed class FrameWriter : IDisposable
{
    private readonly Stream _sink;
    private readonly bool _ownsSink;
    private readonly IFrameCounter _counter;
    private readonly ECDsa? _signingKey;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="sender">This end's EUI-64, written into every frame.</param>
    /// <param name="counter">Where counters come from; it must never repeat a value, even across restarts.</param>
    /// <param name="signingKey">This sender's P-256 private key, or null for a sender that never signs.</param>
    public FrameWriter(Stream sink, Eui64 sender, IFrameCounter counter, ECDsa? signingKey, LinkOptions? options = null, bool ownsSink = false)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(counter);
        if (!sink.CanWrite)
        {
            throw new ArgumentException("a frame writer needs a writable stream", nameof(sink));
        }

        if (signingKey is not null && signingKey.KeySize != 256)
        {
            throw new ArgumentException($"the signing key for {sender} is {signingKey.KeySize} bits; device link signatures use ECDSA P-256", nameof(signingKey));
        }

        Options = options ?? new LinkOptions();
        Options.Validate();
        _sink = sink;
        _ownsSink = ownsSink;
        Sender = sender;
        _counter = counter;
        _signingKey = signingKey;
    }

    /// <summary>Writes to a serial port, which stays the caller's.</summary>
    public FrameWriter(ISerialPort port, Eui64 sender, IFrameCounter counter, ECDsa? signingKey, LinkOptions? options = null)
        : this(port.AsStream(ownsPort: false), sender, counter, signingKey, options, ownsSink: true)
    {
    }

    public Eui64 Sender { get; }

    public LinkOptions Options { get; }

    /// <summary>Sends one frame.</summary>
    /// <param name="sign">True or false to choose; null signs exactly when the link's policy requires it for this type.</param>
    /// <returns>The frame as sent, with its counter.</returns>
    public async ValueTask<LinkFrame> SendAsync(
        ushort messageType,
        Eui64 target,
        ReadOnlyMemory<byte> payload,
        bool? sign = null,
        CancellationToken cancellationToken = default)
    {
        var mustSign = sign ?? Options.Signatures.Requires(messageType);
        if (mustSign && _signingKey is null)
        {
            throw new InvalidOperationException(
                $"message type 0x{messageType:X4} from {Sender} must be signed ({Options.Signatures}), but this writer has no signing key");
        }

        if (payload.Length > Options.MaxPayloadLength)
        {
            throw new ArgumentException(
                $"a payload of {payload.Length} bytes for message type 0x{messageType:X4} is over the link's limit of {Options.MaxPayloadLength}; split the message",
                nameof(payload));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The counter is taken under the gate so frames reach the wire in counter order; a receiver
            // would drop one that overtook a later-numbered frame as a replay.
            var header = new FrameHeader(messageType, _counter.Next(), Sender, target);
            var body = FrameCodec.BuildBody(header, payload.Span, mustSign ? _signingKey : null, Options.MaxPayloadLength);
            var wire = FrameCodec.Stuff(body, Options.EscapeFlowControlBytes);
            await _sink.WriteAsync(wire, cancellationToken).ConfigureAwait(false);
            await _sink.FlushAsync(cancellationToken).ConfigureAwait(false);
            var signedLength = FrameFormat.HeaderLength + payload.Length;
            return new LinkFrame(
                FrameFormat.CurrentVersion,
                header,
                payload.ToArray(),
                mustSign ? body.AsMemory(signedLength, FrameFormat.SignatureLength) : ReadOnlyMemory<byte>.Empty);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        if (_ownsSink)
        {
            _sink.Dispose();
        }
    }
}

using System.Text;
using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Optical;

/// <summary>How an <see cref="OpticalReader"/> times and limits a readout.</summary>
public sealed record OpticalReaderOptions
{
    /// <summary>How long the meter may take to start its identification (the standard allows it 1.5 s).</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest gap between two characters of a message (the standard's 1.5 s).</summary>
    public TimeSpan CharacterTimeout { get; init; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>The fastest rate to switch to, for probes that cannot go as fast as the meter offers.</summary>
    public int MaxBaudRate { get; init; } = 19200;

    /// <summary>The most bytes a data block may have before the reader gives up on it.</summary>
    public int MaxBlockLength { get; init; } = 64 * 1024;
}

/// <summary>A completed mode C data readout.</summary>
/// <param name="BaudRate">The rate the data block came at.</param>
/// <param name="Block">The data block as received, from STX to the BCC, for the evidence.</param>
public sealed record OpticalReadout(IdentificationMessage Identification, int BaudRate, IReadOnlyList<DataSet> DataSets, byte[] Block)
{
    /// <summary>The data set with this address, or null.</summary>
    public DataSet? Find(string address) => DataSets.FirstOrDefault(d => d.Address == address);

    /// <summary>The data set with this address.</summary>
    /// <exception cref="KeyNotFoundException">The meter did not send it; the message lists what it sent.</exception>
    public DataSet Get(string address) =>
        Find(address) ?? throw new KeyNotFoundException(
            $"the readout of {Identification} has no data set {address}; it has {string.Join(", ", DataSets.Select(d => d.Address))}");
}

/// <summary>
/// The client side of IEC 62056-21 mode C over an optical probe: sign-on at 300 baud 7E1, identification,
/// option select for data readout, switch to the offered baud rate, and the data block with its BCC.
/// </summary>
/// <remarks>
/// The reader configures the port itself (7E1 and the rates; it times its own reads) and leaves it at the data rate;
/// the next readout starts again at 300 baud. A probe that hears its own request (some do, by reflection) is
/// tolerated: a line equal to the request is skipped.
/// </remarks>
public sealed class OpticalReader(ISerialPort port, OpticalReaderOptions? options = null)
{
    private readonly ISerialPort _port = port ?? throw new ArgumentNullException(nameof(port));
    private readonly OpticalReaderOptions _options = options ?? new OpticalReaderOptions();

    /// <summary>Opens the probe's port, reads the meter once, and closes the port.</summary>
    public static async Task<OpticalReadout> ReadAsync(string portPath, string address = "", OpticalReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var port = SerialPort.Open(portPath, LineAt(Iec62056.SignOnBaudRate));
        return await new OpticalReader(port, options).ReadAsync(address, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs on (to <paramref name="address"/>, or to whichever meter is there when empty) and reads its data.</summary>
    /// <exception cref="OpticalReadoutException">The readout failed; <see cref="OpticalReadoutException.Error"/> says how.</exception>
    public async Task<OpticalReadout> ReadAsync(string address = "", CancellationToken cancellationToken = default)
    {
        Iec62056.ValidateAddress(address);
        var reader = new ByteReader(_port);

        _port.Configure(LineAt(Iec62056.SignOnBaudRate));
        _port.Discard(SerialBuffers.Input);
        var request = Iec62056.Request(address);
        await _port.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken).ConfigureAwait(false);
        await _port.DrainAsync(cancellationToken).ConfigureAwait(false);

        var identification = await ReadIdentificationAsync(reader, request, cancellationToken).ConfigureAwait(false);
        var offered = identification.ModeCBaudRate ?? throw Unsupported(identification);
        var baud = Math.Min(offered, _options.MaxBaudRate);
        var z = Iec62056.ModeCCharacter(baud) ?? throw new ArgumentException(
            $"MaxBaudRate {_options.MaxBaudRate} is below 300 or not a mode C rate (300 × 2ⁿ up to 19200)");

        // The acknowledgement goes at 300 baud; the switch must wait until it has left the port.
        await _port.WriteAsync(Iec62056.OptionSelect(z), cancellationToken).ConfigureAwait(false);
        await _port.DrainAsync(cancellationToken).ConfigureAwait(false);
        _port.Configure(LineAt(baud));

        var block = await ReadBlockAsync(reader, baud, cancellationToken).ConfigureAwait(false);
        var text = Encoding.ASCII.GetString(block, 1, block.Length - 3);
        IReadOnlyList<DataSet> sets;
        try
        {
            sets = DataLines.Parse(text);
        }
        catch (FormatException e)
        {
            throw new OpticalReadoutException(
                OpticalError.MalformedData,
                _port.Name,
                $"the data block from {identification} on {_port.Name} passed its BCC but holds a {e.Message}",
                e);
        }

        return new OpticalReadout(identification, baud, sets, block);
    }

    private async Task<IdentificationMessage> ReadIdentificationAsync(ByteReader reader, string request, CancellationToken cancellationToken)
    {
        var echo = request.TrimEnd('\r', '\n');
        while (true)
        {
            var line = await ReadLineAsync(reader, request, cancellationToken).ConfigureAwait(false);
            if (line.TrimEnd('\r', '\n') == echo)
            {
                continue;
            }

            try
            {
                return IdentificationMessage.Parse(line);
            }
            catch (FormatException e)
            {
                throw new OpticalReadoutException(
                    OpticalError.MalformedIdentification,
                    _port.Name,
                    $"the meter on {_port.Name} answered the sign-on '{echo}' with a {e.Message} — is it an IEC 62056-21 meter, and is the probe on its optical port?",
                    e);
            }
        }
    }

    private async Task<string> ReadLineAsync(ByteReader reader, string request, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            byte b;
            try
            {
                // The first character may take the meter's reaction time; after that only the gap limit applies.
                b = await reader.NextAsync(line.Length == 0 ? _options.AnswerTimeout : _options.CharacterTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e) when (line.Length == 0)
            {
                throw new OpticalReadoutException(
                    OpticalError.NoAnswer,
                    _port.Name,
                    $"no answer to the sign-on '{request.TrimEnd('\r', '\n')}' on {_port.Name} at 300 baud 7E1 within {Seconds(_options.AnswerTimeout)}: " +
                    "check that the optical probe is seated on the meter's optical port, that its cable is plugged in, and that the rig file names this port (a rig fault, not a verdict on the meter)",
                    e);
            }
            catch (TimeoutException e)
            {
                throw new OpticalReadoutException(
                    OpticalError.MalformedIdentification,
                    _port.Name,
                    $"the identification from the meter on {_port.Name} stopped after {IdentificationMessage.Quote(line.ToString())} with no CR LF for {Seconds(_options.CharacterTimeout)}",
                    e);
            }

            line.Append((char)(b & 0x7F));
            if (b == (byte)'\n' || line.Length > 128)
            {
                return line.ToString();
            }
        }
    }

    private async Task<byte[]> ReadBlockAsync(ByteReader reader, int baud, CancellationToken cancellationToken)
    {
        var block = new List<byte>(1024);
        try
        {
            var first = await reader.NextAsync(_options.CharacterTimeout, cancellationToken).ConfigureAwait(false);
            block.Add(first);
            if (first != Iec62056.Stx)
            {
                // Read what follows so the message can show it; a wrong baud rate looks like this.
                while (block.Count < 32 && reader.TryTakeBuffered(out var more))
                {
                    block.Add(more);
                }

                throw new OpticalReadoutException(
                    OpticalError.Garbled,
                    _port.Name,
                    $"garbled data block on {_port.Name} at {baud} baud: expected STX (0x02), got {Hex(block)} — the meter may not have switched to {baud} baud, or the probe is misaligned");
            }

            while (true)
            {
                var b = await reader.NextAsync(_options.CharacterTimeout, cancellationToken).ConfigureAwait(false);
                block.Add(b);
                if (b == Iec62056.Etx)
                {
                    block.Add(await reader.NextAsync(_options.CharacterTimeout, cancellationToken).ConfigureAwait(false));
                    break;
                }

                if (block.Count > _options.MaxBlockLength)
                {
                    throw new OpticalReadoutException(
                        OpticalError.Garbled,
                        _port.Name,
                        $"the data block on {_port.Name} ran past {_options.MaxBlockLength} bytes without an ETX — the bytes are garbled, or raise MaxBlockLength for a meter with this much data");
                }
            }
        }
        catch (TimeoutException e)
        {
            throw new OpticalReadoutException(
                block.Count == 0 ? OpticalError.NoAnswer : OpticalError.TimedOutMidBlock,
                _port.Name,
                block.Count == 0
                    ? $"the meter on {_port.Name} acknowledged the sign-on but sent no data block within {Seconds(_options.CharacterTimeout)} at {baud} baud"
                    : $"the data block on {_port.Name} at {baud} baud stopped after {block.Count} bytes with no byte for {Seconds(_options.CharacterTimeout)} and no ETX; the last received: {IdentificationMessage.Quote(Encoding.ASCII.GetString(block.TakeLast(40).ToArray()))}",
                e);
        }

        var bytes = block.ToArray();
        var received = bytes[^1];
        var computed = Iec62056.Bcc(bytes.AsSpan(1, bytes.Length - 2));
        if (received != computed)
        {
            throw new OpticalReadoutException(
                OpticalError.Garbled,
                _port.Name,
                $"garbled data block: BCC was 0x{received:X2}, computed 0x{computed:X2} ({bytes.Length} bytes at {baud} baud on {_port.Name}) — ambient light or a misaligned probe can corrupt bytes; read again");
        }

        return bytes;
    }

    private OpticalReadoutException Unsupported(IdentificationMessage identification) =>
        new(
            OpticalError.UnsupportedMode,
            _port.Name,
            Iec62056.ModeBBaudRate(identification.BaudCharacter) is { } b
                ? $"the meter on {_port.Name} identified as {identification} offers mode B ({b} baud, character '{identification.BaudCharacter}'); this reader speaks mode C only"
                : $"the meter on {_port.Name} identified as {identification} gives baud-rate character '{identification.BaudCharacter}', which is not a mode C rate ('0'–'6')");

    /// <summary>7E1 at <paramref name="baud"/>; the reader times its own reads, so the port's read timeout is left unlimited.</summary>
    private static SerialSettings LineAt(int baud) => new()
    {
        BaudRate = baud,
        DataBits = 7,
        Parity = Parity.Even,
        StopBits = StopBits.One,
        ReadTimeout = Timeout.InfiniteTimeSpan,
    };

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.###} s";

    private static string Hex(IEnumerable<byte> bytes) => string.Join(" ", bytes.Select(b => $"0x{b:X2}"));

    /// <summary>Hands out received bytes one at a time, reading from the port in chunks, each wait bounded by a limit.</summary>
    private sealed class ByteReader(ISerialPort port)
    {
        private readonly byte[] _buffer = new byte[512];
        private int _next;
        private int _end;

        /// <exception cref="TimeoutException">No byte came within <paramref name="limit"/>.</exception>
        public async ValueTask<byte> NextAsync(TimeSpan limit, CancellationToken cancellationToken)
        {
            if (_next == _end)
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timer.CancelAfter(limit);
                try
                {
                    _end = await port.ReadAsync(_buffer, timer.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"no byte on {port.Name} within {limit.TotalMilliseconds:0} ms");
                }

                _next = 0;
            }

            return _buffer[_next++];
        }

        /// <summary>A byte already received, without waiting for more.</summary>
        public bool TryTakeBuffered(out byte b)
        {
            if (_next < _end)
            {
                b = _buffer[_next++];
                return true;
            }

            b = 0;
            return false;
        }
    }
}

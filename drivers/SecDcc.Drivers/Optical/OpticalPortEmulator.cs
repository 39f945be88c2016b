using System.Text;
using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Optical;

/// <summary>Who an emulated meter says it is on its optical port.</summary>
/// <param name="Manufacturer">The three-letter FLAG code in the identification message.</param>
/// <param name="BaudCharacter">The mode C character of the fastest rate it offers ('5' = 9600).</param>
/// <param name="Identification">The identification text after the baud character.</param>
/// <param name="Model">Sent as data set 96.1.1.</param>
/// <param name="FirmwareVersion">Sent as data set 0.2.0.</param>
/// <param name="SerialNumber">Sent as data set 96.1.0.</param>
public sealed record OpticalMeterIdentity(
    string Manufacturer,
    char BaudCharacter,
    string Identification,
    string Model,
    string FirmwareVersion,
    string SerialNumber)
{
    public const string SerialNumberAddress = "96.1.0";
    public const string ModelAddress = "96.1.1";
    public const string FirmwareAddress = "0.2.0";

    /// <summary>The identity data sets every emulated readout starts with.</summary>
    public IReadOnlyList<DataSet> DataSets =>
    [
        new(SerialNumberAddress, SerialNumber),
        new(ModelAddress, Model),
        new(FirmwareAddress, FirmwareVersion),
    ];

    internal void Validate()
    {
        var message = $"/{Manufacturer}{BaudCharacter}{Identification}";
        _ = IdentificationMessage.Parse(message);
        if (Iec62056.ModeCBaudRate(BaudCharacter) is null)
        {
            throw new ArgumentException($"baud character '{BaudCharacter}' is not a mode C rate ('0'–'6')", nameof(BaudCharacter));
        }
    }
}

/// <summary>
/// A meter's optical port on the device end of a wire (a <see cref="PseudoTerminal.Master"/>), answering IEC
/// 62056-21 mode C data readout with a configurable identity and registers, so the real reader and serial
/// driver are exercised end to end.
/// </summary>
/// <remarks>
/// <para>After the acknowledgement the emulator waits (up to the standard's 1.5 s) for the harness to switch its
/// side of the wire to the agreed rate, which a pseudo-terminal master can see. If the harness never switches,
/// the block is sent as a real line would deliver it at the wrong rate: as garbage.</para>
/// <para>It answers <c>/?!</c> and, when it has a <see cref="DeviceAddress"/>, <c>/?address!</c>; other
/// addresses, programming mode and anything else get silence, as from a real meter.</para>
/// </remarks>
public sealed class OpticalPortEmulator : IAsyncDisposable
{
    private static readonly TimeSpan SwitchWindow = TimeSpan.FromMilliseconds(1500);

    private readonly ISerialPort _wire;
    private readonly OpticalMeterIdentity _identity;
    private readonly Lock _gate = new();
    private readonly List<DataSet> _registers;
    private readonly List<int> _signOnRates = [];
    private readonly List<int> _dataRates = [];
    private BackgroundLoop? _loop;
    private volatile bool _garbleNext;
    private int _readouts;

    private OpticalPortEmulator(ISerialPort wire, OpticalMeterIdentity identity, IEnumerable<DataSet> registers, string? deviceAddress)
    {
        _wire = wire;
        _identity = identity;
        _registers = [.. registers];
        DeviceAddress = deviceAddress;
    }

    public string? DeviceAddress { get; }

    /// <summary>Ends when disposed; faults if the wire failed under the emulator.</summary>
    public Task Completion => _loop?.Completion ?? Task.CompletedTask;

    /// <summary>Corrupt one byte of the next data block (its BCC is left as computed for the true bytes).</summary>
    public bool GarbleNextBlock
    {
        get => _garbleNext;
        set => _garbleNext = value;
    }

    /// <summary>Data readouts completed.</summary>
    public int Readouts => Volatile.Read(ref _readouts);

    /// <summary>The baud rate the harness's side was at for each sign-on (as the pseudo-terminal reports it).</summary>
    public IReadOnlyList<int> SignOnBaudRates
    {
        get
        {
            lock (_gate)
            {
                return [.. _signOnRates];
            }
        }
    }

    /// <summary>The baud rate the harness's side was at when each data block was sent.</summary>
    public IReadOnlyList<int> DataBaudRates
    {
        get
        {
            lock (_gate)
            {
                return [.. _dataRates];
            }
        }
    }

    /// <summary>Starts answering on <paramref name="wire"/>; the caller keeps ownership of the wire.</summary>
    /// <param name="registers">Data sets after the identity ones, such as <c>1.8.0(001234.567*kWh)</c>.</param>
    public static OpticalPortEmulator Start(ISerialPort wire, OpticalMeterIdentity identity, IEnumerable<DataSet>? registers = null, string? deviceAddress = null)
    {
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentNullException.ThrowIfNull(identity);
        identity.Validate();
        if (deviceAddress is not null)
        {
            Iec62056.ValidateAddress(deviceAddress);
        }

        var emulator = new OpticalPortEmulator(wire, identity, registers ?? [], deviceAddress);
        emulator._loop = BackgroundLoop.Start(emulator.RunAsync);
        return emulator;
    }

    /// <summary>Sets (or adds) a register, as the emulated meter's metrology moves it.</summary>
    public void SetRegister(string address, string value, string? unit = null)
    {
        lock (_gate)
        {
            var set = new DataSet(address, value, unit);
            var at = _registers.FindIndex(r => r.Address == address);
            if (at < 0)
            {
                _registers.Add(set);
            }
            else
            {
                _registers[at] = set;
            }
        }
    }

    /// <summary>The data block the meter would send now, from STX to BCC.</summary>
    public byte[] DataBlock()
    {
        List<DataSet> sets;
        lock (_gate)
        {
            sets = [.. _identity.DataSets, .. _registers];
        }

        var body = Encoding.ASCII.GetBytes(DataLines.Format(sets));
        var block = new byte[body.Length + 3];
        block[0] = Iec62056.Stx;
        body.CopyTo(block, 1);
        block[^2] = Iec62056.Etx;
        block[^1] = Iec62056.Bcc(block.AsSpan(1, block.Length - 2));
        return block;
    }

    public ValueTask DisposeAsync() => _loop?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task RunAsync(CancellationToken stop)
    {
        var line = new List<byte>();
        var buffer = new byte[256];
        char? agreed = null;
        try
        {
            while (true)
            {
                var n = await _wire.ReadAsync(buffer, stop).ConfigureAwait(false);
                for (var i = 0; i < n; i++)
                {
                    line.Add((byte)(buffer[i] & 0x7F));
                    if (buffer[i] != (byte)'\n')
                    {
                        if (line.Count > 64)
                        {
                            line.Clear();
                        }

                        continue;
                    }

                    agreed = await HandleAsync(line.ToArray(), agreed, stop).ConfigureAwait(false);
                    line.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed: the loop ends normally, so Completion does not show a cancellation.
        }
    }

    /// <summary>Answers one line; returns the baud character offered if a sign-on is waiting for its acknowledgement.</summary>
    private async Task<char?> HandleAsync(byte[] line, char? offered, CancellationToken stop)
    {
        var text = Encoding.ASCII.GetString(line);
        if (text.StartsWith("/?", StringComparison.Ordinal) && text.EndsWith("!\r\n", StringComparison.Ordinal))
        {
            var address = text[2..^3];
            if (address.Length > 0 && address != DeviceAddress)
            {
                return null;
            }

            Record(_signOnRates);
            var identification = $"/{_identity.Manufacturer}{_identity.BaudCharacter}{_identity.Identification}\r\n";
            await _wire.WriteAsync(Encoding.ASCII.GetBytes(identification), stop).ConfigureAwait(false);
            return _identity.BaudCharacter;
        }

        if (offered is { } z && line is [Iec62056.Ack, (byte)'0', var asked, (byte)'0', (byte)'\r', (byte)'\n']
            && Iec62056.ModeCBaudRate((char)asked) is { } rate && asked <= z)
        {
            await SendBlockAsync(rate, stop).ConfigureAwait(false);
        }

        return null;
    }

    private async Task SendBlockAsync(int rate, CancellationToken stop)
    {
        var switched = await WaitForHarnessRateAsync(rate, stop).ConfigureAwait(false);
        var block = DataBlock();
        if (_garbleNext)
        {
            _garbleNext = false;

            // A bit flipped in the middle of the data, as ambient light on the probe would do.
            block[block.Length / 2] ^= 0x10;
        }

        if (!switched)
        {
            // Bytes sent at one rate and sampled at another arrive as framing garbage.
            block = block.Select(b => (byte)(0x80 | (b >> 1))).ToArray();
        }

        Record(_dataRates);
        await _wire.WriteAsync(block, stop).ConfigureAwait(false);
        Interlocked.Increment(ref _readouts);
    }

    /// <summary>Waits for the harness to put its side at <paramref name="rate"/>; true when it did within the window.</summary>
    private async Task<bool> WaitForHarnessRateAsync(int rate, CancellationToken stop)
    {
        if (_wire is not SerialPort master)
        {
            // Not a pseudo-terminal (a TCP stand-in): rates have no meaning on the link.
            return true;
        }

        var deadline = Environment.TickCount64 + (long)SwitchWindow.TotalMilliseconds;
        while (master.QueryLineSettings().BaudRate != rate)
        {
            if (Environment.TickCount64 >= deadline)
            {
                return false;
            }

            // A pseudo-terminal gives no signal when its settings change, so it is looked at every few ms.
            await Task.Delay(TimeSpan.FromMilliseconds(2), stop).ConfigureAwait(false);
        }

        return true;
    }

    private void Record(List<int> rates)
    {
        var rate = _wire is SerialPort master ? master.QueryLineSettings().BaudRate : _wire.Settings.BaudRate;
        lock (_gate)
        {
            rates.Add(rate);
        }
    }
}

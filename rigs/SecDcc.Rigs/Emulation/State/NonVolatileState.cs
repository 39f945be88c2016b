using System.Text.Json;
using System.Text.Json.Serialization;
using SecDcc.DeviceProtocol.Security;

namespace SecDcc.Rigs.Emulation.State;

/// <summary>
/// What an emulated device keeps across a power cycle, as its state file holds it (JSON; decision record 0603).
/// Everything else a device knows — sessions, the HAN join window, who it has heard on the HAN — is volatile.
/// </summary>
public sealed class NonVolatileState
{
    public const int CurrentFormat = 1;

    public int Format { get; set; } = CurrentFormat;

    public string DeviceId { get; set; } = string.Empty;

    public string DeviceType { get; set; } = string.Empty;

    /// <summary>The device's ECDSA P-256 private key, PKCS#8, base64.</summary>
    public string PrivateKey { get; set; } = string.Empty;

    /// <summary>The Device Certificate, DER, base64.</summary>
    public string Certificate { get; set; } = string.Empty;

    public bool Commissioned { get; set; }

    public ulong PowerUpCount { get; set; }

    /// <summary>The Device Log (a CHF's HAN Device Log).</summary>
    public List<DeviceLogRecord> DeviceLog { get; set; } = [];

    /// <summary>Trust Anchor Cells and other credentials by name, base64.</summary>
    public Dictionary<string, string> Cells { get; set; } = [];

    /// <summary>The last frame counter accepted from each sender, so a replay is refused after a restart too.</summary>
    public Dictionary<string, ulong> LastCounters { get; set; } = [];

    /// <summary>A meter's import energy register (1.8.0) in Wh, kept as a meter's power-fail store keeps it.</summary>
    public decimal EnergyWh { get; set; }

    /// <summary>Pulses the meter's LED has given, so the "pulse-miscount" quirk's one-in-N carries on across a restart.</summary>
    public long PulsesDue { get; set; }
}

public sealed record DeviceLogRecord(string DeviceId, string DeviceType);

/// <summary>A device's state file: read at power-up, written whole and atomically after every change.</summary>
public sealed class StateFile(string path)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string Path { get; } = path;

    /// <returns>The saved state, or null when the device has never run (no file).</returns>
    /// <exception cref="InvalidDataException">The file exists but is not a state file this version reads.</exception>
    /// <remarks>
    /// A write cut short (the process killed, the machine's power lost) leaves at most a temporary file beside
    /// the state file, never a half-written state file: those leftovers are removed here, unread.
    /// </remarks>
    public NonVolatileState? Load()
    {
        RemoveInterruptedWrites();
        if (!File.Exists(Path))
        {
            return null;
        }

        NonVolatileState? state;
        try
        {
            state = JsonSerializer.Deserialize<NonVolatileState>(File.ReadAllText(Path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"{Path} is not a readable device state file ({e.Message}); delete it to start the device from its factory state",
                e);
        }

        if (state is null || state.Format != NonVolatileState.CurrentFormat)
        {
            throw new InvalidDataException(
                $"{Path} has state format {state?.Format.ToString() ?? "null"}, and this emulator reads format {NonVolatileState.CurrentFormat}; delete it to start the device from its factory state");
        }

        return state;
    }

    public void Save(NonVolatileState state) => AtomicFile.WriteAllBytes(Path, JsonSerializer.SerializeToUtf8Bytes(state, Json));

    /// <summary>The temporary files <see cref="AtomicFile"/> writes before its rename, left by writes that never finished.</summary>
    public IReadOnlyList<string> InterruptedWrites()
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, $".{System.IO.Path.GetFileName(Path)}.*.tmp")
            : [];
    }

    private void RemoveInterruptedWrites()
    {
        foreach (var leftover in InterruptedWrites())
        {
            File.Delete(leftover);
        }
    }
}

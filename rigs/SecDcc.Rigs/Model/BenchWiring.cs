namespace SecDcc.Rigs.Model;

/// <summary>
/// A GPIO bank of the bench by the name the rig file gives it, and the spec that opens it
/// (<c>sim</c>, <c>sim:NAME</c>, <c>serial:/dev/…</c>, <c>chardev:/dev/gpiochip0</c>; see
/// <c>SecDcc.Drivers.Gpio.GpioBackends</c>).
/// </summary>
public sealed record GpioBankDefinition(string Name, string Spec)
{
    /// <summary>A bank the emulated rig makes and drives (its relays switch emulated devices, its inputs carry their pulses).</summary>
    public bool IsSimulated => Spec == "sim" || Spec.StartsWith("sim:", StringComparison.Ordinal);

    /// <summary>The name the simulated bank is registered under, so the harness opens it as <c>sim:NAME</c>.</summary>
    public string SimulatedName => Spec == "sim" ? Name : Spec["sim:".Length..];

    /// <summary>The spec the harness opens: <c>sim:NAME</c> for a simulated bank, the rig file's spec otherwise.</summary>
    public string OpenSpec => IsSimulated ? $"sim:{SimulatedName}" : Spec;

    public override string ToString() => $"{Name} ({Spec})";
}

/// <summary>One line of a bank, as a rig file names it ("bench/esme-power", "relays/2"), and how it is wired.</summary>
/// <param name="Line">A line name or number, resolved by the bank when it is opened.</param>
/// <param name="ActiveLow">The relay closes (or the button is pressed) when the line is low.</param>
public sealed record GpioLineRef(string Bank, string Line, bool ActiveLow = false)
{
    public override string ToString() => $"{Bank}/{Line}{(ActiveLow ? " (active low)" : string.Empty)}";
}

/// <summary>What a device is wired to on the bench: a relay in its supply, a relay across its button, a photodiode on its pulse LED.</summary>
public sealed record DeviceGpio(GpioLineRef? Power = null, GpioLineRef? Button = null, GpioLineRef? Pulse = null)
{
    public static DeviceGpio None { get; } = new();

    public IEnumerable<(string Role, GpioLineRef Line)> Lines
    {
        get
        {
            if (Power is not null)
            {
                yield return ("power", Power);
            }

            if (Button is not null)
            {
                yield return ("button", Button);
            }

            if (Pulse is not null)
            {
                yield return ("pulse", Pulse);
            }
        }
    }
}

/// <summary>
/// Where an emulated rig's devices get their credentials (docs/decisions/1301): a test PKI from
/// <paramref name="Seed"/>, the required cells of <paramref name="CellsFile"/> and the consents of
/// <paramref name="ConsentsFile"/>.
/// </summary>
/// <param name="Seed">The test PKI's seed; the same seed gives byte-identical certificates, so evidence is reproducible.</param>
/// <param name="CellsFile">rigs/trust-anchors/cells.yaml or another table (absolute); null populates only the accessControlBroker cell.</param>
/// <param name="ConsentsFile">rigs/trust-anchors/consents.yaml or another (absolute); null means no consents recorded.</param>
public sealed record TrustAnchorSettings(string Seed, string? CellsFile, string? ConsentsFile)
{
    /// <summary>Only the accessControlBroker cell populated, for rigs built in code without a cells table.</summary>
    public static TrustAnchorSettings SeedOnly(string seed) => new(seed, null, null);
}

using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Optical;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Emulation.Meters;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Bench;

/// <summary>
/// Who a meter says it is on its optical port (IEC 62056-21 mode C readout): the identification message and the
/// identity data sets (96.1.0 serial number, 96.1.1 model, 96.1.2 manufacturer, 0.2.0 firmware version,
/// 0.2.8 firmware hash) and the import register 1.8.0, each null when the meter does not send it.
/// </summary>
public sealed record OpticalIdentity(
    string FlagId,
    string Identification,
    string? SerialNumber,
    string? Manufacturer,
    string? Model,
    string? FirmwareVersion,
    string? FirmwareHash,
    EnergyReading? Energy,
    string Port)
{
    /// <summary>Opens the probe's port, reads the meter once, and closes the port.</summary>
    /// <exception cref="OpticalReadoutException">The readout failed: no answer, a garbled block (bad BCC), a malformed line.</exception>
    /// <exception cref="SerialPortException">The port does not open.</exception>
    public static async Task<OpticalIdentity> ReadAsync(string port, OpticalReaderOptions? options = null, CancellationToken cancellationToken = default) =>
        From(await OpticalReader.ReadAsync(port, options: options, cancellationToken: cancellationToken).ConfigureAwait(false), port);

    public static OpticalIdentity From(OpticalReadout readout, string port)
    {
        ArgumentNullException.ThrowIfNull(readout);
        var energy = readout.Find(SmartMeter.EnergyAddress) is { } e ? EnergyReading.Parse(e.Value, e.Unit) : (EnergyReading?)null;
        return new OpticalIdentity(
            readout.Identification.ManufacturerCode,
            readout.Identification.Identification,
            readout.Find(OpticalMeterIdentity.SerialNumberAddress)?.Value,
            readout.Find(SmartMeter.ManufacturerAddress)?.Value,
            readout.Find(OpticalMeterIdentity.ModelAddress)?.Value,
            readout.Find(OpticalMeterIdentity.FirmwareAddress)?.Value,
            readout.Find(SmartMeter.FirmwareHashAddress)?.Value,
            energy,
            port);
    }

    public override string ToString() =>
        $"/{FlagId} {Identification} on {Port}: manufacturer {Manufacturer ?? "(not sent)"}, model {Model ?? "(not sent)"}, firmware {FirmwareVersion ?? "(not sent)"}, hash {FirmwareHash ?? "(not sent)"}, serial {SerialNumber ?? "(not sent)"}";
}

/// <summary>A CPL entry's identifying fields, as the DCC's JSON API gives them (GET /products/cpl).</summary>
public sealed record CplIdentity(string Manufacturer, string Model, string HardwareVersion, string FirmwareVersion, string FirmwareHash);

/// <summary>One way the optical identity disagrees with the Device Model file or the CPL.</summary>
/// <param name="Field">"firmware version", "manufacturer", …</param>
/// <param name="Against">"the Device Model file" or "the CPL".</param>
public sealed record IdentityFinding(string Field, string Against, string Read, string Expected, string Statement)
{
    public override string ToString() => Statement;
}

/// <summary>The optical identity held against the Device Model file and the CPL: findings (empty when all agree) and what agreed.</summary>
public sealed record IdentityComparison(OpticalIdentity Read, IReadOnlyList<IdentityFinding> Findings, IReadOnlyList<string> Agreements)
{
    public bool Passed => Findings.Count == 0;

    public override string ToString() =>
        Passed
            ? $"the optical identity of {Read.Port} agrees with the Device Model file and the CPL: {string.Join("; ", Agreements)}"
            : string.Join(Environment.NewLine, Findings.Select(f => f.Statement));
}

/// <summary>Compares what a meter says on its optical port with its Device Model file and the CPL (F2.2: the CPL identifies a Device Model by its firmware version and hash).</summary>
public static class OpticalIdentityCheck
{
    public static IdentityComparison Compare(OpticalIdentity read, DeviceModelDefinition model, IReadOnlyList<CplIdentity>? cpl)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(model);
        var findings = new List<IdentityFinding>();
        var agreements = new List<string>();
        var file = $"the Device Model file ({model.SourcePath})";
        var hash = model.FirmwareHash.ToHex();

        void Field(string field, string? got, string expected, bool ignoreCase = false)
        {
            if (got is not null && string.Equals(got, expected, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                agreements.Add($"{field} {got}");
                return;
            }

            findings.Add(new IdentityFinding(
                field,
                "the Device Model file",
                got ?? "(not sent)",
                expected,
                got is null
                    ? $"the meter on {read.Port} did not send its {field} on the optical port; {file} says {expected}"
                    : $"the meter on {read.Port} says {field} {got} on its optical port, but {file} says {expected}"));
        }

        Field("FLAG ID", read.FlagId, model.FlagId);
        Field("manufacturer", read.Manufacturer, model.Manufacturer);
        Field("model", read.Model, model.Model);
        Field("firmware version", read.FirmwareVersion, model.FirmwareVersion);
        Field("firmware hash", read.FirmwareHash, hash, ignoreCase: true);

        if (cpl is not null)
        {
            var sameModel = cpl.Where(e => e.Manufacturer == model.Manufacturer && e.Model == model.Model).ToList();
            var listed = sameModel.FirstOrDefault(e => e.FirmwareVersion == read.FirmwareVersion);
            if (listed is null)
            {
                findings.Add(new IdentityFinding(
                    "firmware version",
                    "the CPL",
                    read.FirmwareVersion ?? "(not sent)",
                    sameModel.Count == 0 ? "(no entry)" : string.Join(", ", sameModel.Select(e => e.FirmwareVersion)),
                    sameModel.Count == 0
                        ? $"the CPL lists no {model.Manufacturer} {model.Model} at all, so the firmware {read.FirmwareVersion ?? "(not sent)"} the meter on {read.Port} reports is on no entry"
                        : $"the meter on {read.Port} reports firmware {read.FirmwareVersion ?? "(not sent)"} on its optical port, and the CPL lists {model.Manufacturer} {model.Model} only with firmware {string.Join(", ", sameModel.Select(e => e.FirmwareVersion))}: this meter is not a listed Device Model"));
            }
            else if (read.FirmwareHash is null || !string.Equals(listed.FirmwareHash, read.FirmwareHash, StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new IdentityFinding(
                    "firmware hash",
                    "the CPL",
                    read.FirmwareHash ?? "(not sent)",
                    listed.FirmwareHash,
                    $"the meter on {read.Port} reports firmware hash {read.FirmwareHash ?? "(not sent)"} for firmware {listed.FirmwareVersion}, and the CPL's entry says {listed.FirmwareHash}"));
            }
            else
            {
                agreements.Add($"CPL entry {listed.Manufacturer} {listed.Model} hardware {listed.HardwareVersion} firmware {listed.FirmwareVersion} with the same hash");
            }
        }

        return new IdentityComparison(read, findings, agreements);
    }
}

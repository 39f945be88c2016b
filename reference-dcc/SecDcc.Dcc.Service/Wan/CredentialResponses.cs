using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.PostCommissioning;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Smki;
using SecDcc.Smki.Certificates;
using Eui64 = SecDcc.Drivers.Link.Eui64;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>
/// What a Device's successful Response to a security-credentials Command tells the DCC after Commissioning (AC 5.5:
/// the DCC monitors Commands and Responses), handed to <see cref="PostCommissioningService"/> one fact at a time:
/// <list type="bullet">
/// <item>6.15.1, 6.15.2, 6.23 (a cell written): 5.7(c) counts 6.15.1 and 6.15.2; an Organisation Certificate written is
/// Organisation Certificate information replaced (5.2(b), 5.3(c)); in a networkOperator cell it is whose credentials the
/// Device holds for the Network Party (5.3(a), 6.2(b)), in a supplier cell for the Supplier (6.2(a)).</item>
/// <item>6.17: counted (5.7(c)(i)); the Device re-generated its key pair, and the Device Certificate it returns is its
/// new current one (5.2(a), 5.3(b), 5.18).</item>
/// <item>6.24.1, 6.24.2: a read of the recovery cell is an interrogation of it (5.4 by the DCC, 5.14(b) by a Supplier);
/// a Device Certificate read is the Device's current one (5.18).</item>
/// </list>
/// Only successful Responses come here: a failure Response shows nothing done (the 5.7(c) proviso lets the DCC treat any
/// Response before Service Release 1.3 as successful; the gateway does not take that option, docs/decisions/1210).
/// </summary>
public sealed class CredentialResponses(PostCommissioningService facts, Eui64 dccId, IReadOnlyList<Eui64> recoveryIds)
{
    /// <summary>
    /// Records what the Response shows and returns one line per fact, each naming its clause: what was recorded, or why the
    /// DCC did not record it (the Device is SMETS1 for 5.4, a Type 2 Device, the content is not a certificate…).
    /// </summary>
    public async Task<IReadOnlyList<string>> RecordAsync(PreparedCommand prepared, CommandResponse response, CancellationToken ct)
    {
        var notes = new List<string>();
        var device = prepared.Recipient.Id;
        var srv = prepared.Request.ServiceReferenceVariant;
        switch (srv)
        {
            case "6.15.1" or "6.15.2" or "6.23":
                if (CredentialServices.Counted.Contains(srv))
                    notes.Add(await Counted(device, srv, ct));
                foreach (var cell in prepared.Arguments.Cells)
                    await CellWrittenAsync(device, cell, notes, ct);
                break;

            case "6.17":
                notes.Add(await Counted(device, srv, ct));
                if (DeviceCertificates(device, response, notes) is { Count: > 0 } issued)
                    notes.Add(Note("AC-5.5", "keys re-generated and the new Device Certificate recorded (AC 5.2(a), 5.3(b), 5.18)",
                        (await facts.KeysRegeneratedAsync(new KeyRegeneration(device, issued), ct)).Refusal));
                else
                    notes.Add("AC-5.5: not recorded: the Response carries no Device Certificate of this Device, so its new key pair cannot be shown stored on it");
                break;

            case "6.24.1" or "6.24.2":
                if (response.Cells.FirstOrDefault(c => RoleOf(c.Name) == RemotePartyRole.Recovery) is { } recovery)
                    notes.Add(await InterrogatedAsync(prepared.Request.Requester, device, recovery, ct));
                if (DeviceCertificates(device, response, notes) is { Count: > 0 } current)
                    notes.Add(Note("AC-5.18", "the Device's current Device Certificate recorded",
                        (await facts.DeviceCertificatesRespondedAsync(new DeviceCertificateResponse(device, true, current), ct)).Refusal));
                break;
        }

        return notes;
    }

    private async Task<string> Counted(DeviceId device, string srv, CancellationToken ct) =>
        Note("AC-5.7(c)", $"{CredentialServices.Describe(srv)} Successfully Executed",
            (await facts.CredentialsCommandRespondedAsync(new CredentialsCommandResponse(device, srv, true), ct)).Refusal);

    private async Task CellWrittenAsync(DeviceId device, CredentialCell cell, List<string> notes, CancellationToken ct)
    {
        if (Read(cell.Value) is not { } certificate)
        {
            notes.Add($"AC-5.5: not recorded: cell {cell.Name} was written with content that is not a certificate, so it shows no Organisation Certificate replaced");
            return;
        }

        if (certificate.Subject.Role is null)
            return;
        notes.Add(Note("AC-5.5", $"Organisation Certificate information replaced in cell {cell.Name} (AC 5.2(b), 5.3(c))",
            (await facts.OrganisationCertificateReplacedAsync(new OrganisationCertificateReplacement(device), ct)).Refusal));
        if (certificate.Subject.EntityId is not { } entity)
            return;
        var party = new PartyId(entity.Value);
        switch (RoleOf(cell.Name))
        {
            case RemotePartyRole.NetworkOperator:
                notes.Add(Note("AC-5.3(a)", $"holds {party}'s credentials for the Network Party (AC 5.3(a), 6.2(b))",
                    (await facts.NetworkPartyCredentialsAsync(new CredentialsHeld(device, party), ct)).Refusal));
                break;
            case RemotePartyRole.Supplier:
                notes.Add(Note("AC-6.2(a)", $"holds {party}'s credentials for the Supplier",
                    (await facts.SupplierCredentialsAsync(new CredentialsHeld(device, party), ct)).Refusal));
                break;
        }
    }

    private async Task<string> InterrogatedAsync(Actor requester, DeviceId device, CredentialCell recovery, CancellationToken ct)
    {
        // The DCC interrogates under 5.4 in its own name; a Supplier's read is the interrogation 5.14(b) allows.
        Interrogator? by = requester.Party.Value == dccId.Value ? Interrogator.Dcc : requester.IsSupplier ? Interrogator.Supplier : null;
        if (by is null)
            return $"AC-5.4: not recorded: {requester} read the recovery cell, and only the DCC's (5.4) or a Supplier's (5.14(b)) reading is an interrogation";
        if (recoveryIds.Count == 0)
            return "AC-5.4: not recorded: the DCC knows no Entity Identifier of its Recovery Certificates (--wan-recovery-id), so it cannot tell what the recovery cell holds";
        var certificate = Read(recovery.Value);
        var populated = certificate?.Subject is { Role: RemotePartyRole.Recovery, EntityId: { } entity } subject
            && subject.KeyUsage.HasFlag(X509KeyUsageFlags.DigitalSignature)
            && recoveryIds.Contains(entity);
        return Note("AC-5.4", $"recovery cell interrogated by the {by}: {(populated ? "DCC Recovery credentials present" : "no DCC Recovery credentials")}",
            (await facts.RecoveryCellInterrogatedAsync(new RecoveryCellInterrogation(device, by.Value, true, populated), ct)).Refusal);
    }

    /// <summary>The Device Certificate(s) of this Device a Response carries, as AC 5.18 records them.</summary>
    private static List<DeviceCertificate> DeviceCertificates(DeviceId device, CommandResponse response, List<string> notes)
    {
        var certificates = new List<DeviceCertificate>();
        foreach (var cell in response.Cells.Where(c => c.Name == CredentialCells.DeviceCertificate))
        {
            var held = Read(cell.Value);
            if (held?.Subject is { Role: null, DeviceId: { } named } subject && named.Value == device.Value)
                certificates.Add(new DeviceCertificate(
                    subject.KeyUsage.HasFlag(X509KeyUsageFlags.KeyAgreement) ? DeviceCertificateUse.KeyAgreement : DeviceCertificateUse.DigitalSigning,
                    held.SerialNumber, held.Issuer));
            else
                notes.Add($"AC-5.18: not recorded: the Response's {cell.Name} is not a Device Certificate naming {device} in its hardwareModuleName");
        }

        return certificates;
    }

    /// <summary>A cell's certificate: whose it is (read leniently: Device Certificates need not be SMKI-issued here), serial and issuer.</summary>
    private sealed record Held(SmkiSubject Subject, string SerialNumber, string Issuer);

    private static Held? Read(Octets value)
    {
        if (value.Length == 0)
            return null;
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(value.Span);
            return new Held(SmkiSubject.Read(certificate), certificate.SerialNumber, certificate.IssuerName.Name);
        }
        catch (Exception e) when (e is CryptographicException or SmkiCertificateException)
        {
            // Content that is not a certificate shows nothing about whose credentials the cell holds.
            return null;
        }
    }

    /// <summary>The role of a cell named "supplier" or "supplier/keyAgreement" (docs/decisions/1302).</summary>
    private static RemotePartyRole? RoleOf(string cell)
    {
        var slash = cell.IndexOf('/', StringComparison.Ordinal);
        return RemotePartyRoles.TryParseName(slash < 0 ? cell : cell[..slash], out var role) ? role : null;
    }

    private static string Note(string clause, string recorded, Refusal? refusal) =>
        refusal is null ? $"{clause}: {recorded}" : $"{clause}: not recorded: {refusal.Clause} {refusal.Message}";
}

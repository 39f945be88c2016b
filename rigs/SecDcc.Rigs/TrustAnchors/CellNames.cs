using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Smki;
using SecDcc.Smki.TrustAnchors;

namespace SecDcc.Rigs.TrustAnchors;

/// <summary>
/// How emulated devices name their Trust Anchor Cells: by Remote Party Role and keyUsage, as
/// <see cref="TrustAnchorCellId"/> writes them ("supplier/digitalSignature"). A role on its own
/// ("accessControlBroker", as the reference DCC's 6.15 and 6.24 requests name cells) stands for the role's
/// signing cell: keyCertSign for root, digitalSignature for the rest (docs/decisions/1302).
/// </summary>
public static class CellNames
{
    /// <summary>The cell whose occupant's key verifies the DCC's commands.</summary>
    public static TrustAnchorCellId CommandSigning { get; } = new(RemotePartyRole.AccessControlBroker, X509KeyUsageFlags.DigitalSignature);

    /// <summary>Reads a cell name, full or role-only; false for anything else (the device certificate, a typo).</summary>
    public static bool TryParse(string name, out TrustAnchorCellId cell, [NotNullWhen(false)] out string? why)
    {
        if (TrustAnchorCellId.TryParse(name, out cell, out why))
        {
            return true;
        }

        if (!name.Contains('/', StringComparison.Ordinal) && CredentialCells.TrustAnchors.Contains(name) && RemotePartyRoles.TryParseName(name, out var role))
        {
            cell = new TrustAnchorCellId(role, role == RemotePartyRole.Root ? X509KeyUsageFlags.KeyCertSign : X509KeyUsageFlags.DigitalSignature);
            why = null;
            return true;
        }

        why ??= "not a Trust Anchor Cell";
        return false;
    }

    /// <summary>What a command may name, for refusals.</summary>
    public const string Grammar = "role/keyUsage (e.g. supplier/keyAgreement), or a role alone for its signing cell (e.g. accessControlBroker)";
}

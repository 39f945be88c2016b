using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;
using YamlDotNet.RepresentationModel;

namespace SecDcc.Smki.TrustAnchors;

/// <summary>
/// A Supplier Party's consent for its Organisation Certificate to sit in a supplier or networkOperator cell
/// of a device for which it is not the Responsible Supplier (AC 3.2(a), Supplier (c) and networkOperator (c)).
/// </summary>
/// <param name="KeyUsage">Null: the consent covers the role's cells of every keyUsage.</param>
public sealed record Consent(Eui64 Device, RemotePartyRole Role, X509KeyUsageFlags? KeyUsage, Eui64 Supplier, string? Reference)
{
    public bool Covers(Eui64 device, TrustAnchorCellId cell, Eui64 supplier) =>
        Device == device && Role == cell.Role && (KeyUsage is null || KeyUsage == cell.KeyUsage) && Supplier == supplier;

    public override string ToString() =>
        $"{Supplier} consents to occupy {(KeyUsage is { } u ? $"{Role.Name()}/{KeyUsages.Name(u)}" : Role.Name())} of {Device}{(Reference is null ? string.Empty : $" ({Reference})")}";
}

/// <summary>
/// The consents recorded, loaded from rigs/trust-anchors/consents.yaml:
/// <code>
/// consents:
///   - device: 00-DB-12-34-56-78-00-03
///     cell: supplier                    # supplier or networkOperator, optionally /keyUsage
///     supplier: 90-B3-D5-1F-30-03-00-00 # the consenting Supplier Party's Entity Identifier
///     reference: letter 2026-11-02      # optional: where the consent is evidenced
/// </code>
/// </summary>
public sealed class ConsentRegister
{
    public ConsentRegister(IEnumerable<Consent>? consents = null) => Consents = (consents ?? []).ToList();

    public static ConsentRegister None { get; } = new();

    public IReadOnlyList<Consent> Consents { get; }

    public Consent? Find(Eui64 device, TrustAnchorCellId cell, Eui64 supplier) =>
        Consents.FirstOrDefault(c => c.Covers(device, cell, supplier));

    /// <exception cref="TrustAnchorDataException">The file is missing or wrong; every problem is listed with its line.</exception>
    public static ConsentRegister Load(string path)
    {
        var (data, root) = YamlData.Open(path);
        var consents = new List<Consent>();
        if (root is not null)
        {
            foreach (var row in data.Sequence<YamlMappingNode>(root, "consents", required: true, "a consent with device, cell and supplier"))
            {
                var device = Eui(data, row, "device", "the EUI-64 of the device whose cell is occupied");
                var supplier = Eui(data, row, "supplier", "the Entity Identifier of the consenting Supplier Party");
                var cellText = data.Scalar(row, "cell", true, "supplier or networkOperator, optionally with /keyUsage");
                var reference = data.Scalar(row, "reference", false, "text saying where the consent is evidenced");
                var cell = cellText is null ? null : ParseCell(data, row, cellText);
                if (device is { } d && supplier is { } s && cell is { } c)
                {
                    consents.Add(new Consent(d, c.Role, c.KeyUsage, s, reference));
                }
            }
        }

        data.ThrowIfAny();
        return new ConsentRegister(consents);
    }

    private static (RemotePartyRole Role, X509KeyUsageFlags? KeyUsage)? ParseCell(YamlData data, YamlMappingNode row, string text)
    {
        var parts = text.Split('/');
        X509KeyUsageFlags? usage = null;
        if (!RemotePartyRoles.TryParseName(parts[0], out var role) || role is not (RemotePartyRole.Supplier or RemotePartyRole.NetworkOperator))
        {
            data.Problem(row, $"cell '{text}': consent is given for a supplier or networkOperator cell only (AC 3.2(a))");
            return null;
        }

        if (parts.Length == 2)
        {
            if (!KeyUsages.TryParseName(parts[1], out var u) || u is not (X509KeyUsageFlags.DigitalSignature or X509KeyUsageFlags.KeyAgreement))
            {
                data.Problem(row, $"cell '{text}': the keyUsage is digitalSignature or keyAgreement");
                return null;
            }

            usage = u;
        }
        else if (parts.Length > 2)
        {
            data.Problem(row, $"cell '{text}': write supplier, networkOperator, or one of them with /keyUsage");
            return null;
        }

        return (role, usage);
    }

    private static Eui64? Eui(YamlData data, YamlMappingNode row, string key, string what)
    {
        var text = data.Scalar(row, key, true, what);
        if (text is null)
        {
            return null;
        }

        if (Eui64.TryParse(text, out var eui))
        {
            return eui;
        }

        data.Problem(row, $"'{key}: {text}' is not an EUI-64; write 8 hex bytes such as 90-B3-D5-1F-30-03-00-00");
        return null;
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecDcc.Dcc.Inventory;
using SecDcc.Duis.Keys;
using DuisEui = SecDcc.Duis.Eui64;

namespace SecDcc.Dcc.Service.Duis.Parties;

/// <summary>One party as a start-up file or the JSON API gives it.</summary>
public sealed record PartyDto(string? Eui, List<string>? Roles, List<string>? Certificates, string? Name, string? Callback);

public sealed record PartyFileDto(List<PartyDto>? Parties);

/// <summary>Where registered parties come from: the ZAZ1 keystore, start-up files, the JSON API.</summary>
public static class PartySources
{
    public const string KeystoreRelativePath = "drivers/interop/node_modules/@smartdcc/dccboxed-keystore/keystore.json";
    public const string InstallCommand = "npm ci --prefix drivers/interop";

    /// <summary>
    /// The ZAZ1 test parties as DCC Boxed's tools use them: the Supplier, the Network Operator, Supplier 2 (whose Z1
    /// certificate has expired, so its requests are refused) and the Other User, each with the certificate the signing
    /// tool signs its requests with.
    /// </summary>
    public static readonly IReadOnlyList<(DuisEui Id, string Name, UserRole[] Roles)> Zaz1 =
    [
        (Zaz1Parties.Supplier, "ZAZ1 Supplier", [UserRole.IS, UserRole.ES, UserRole.GS]),
        (Zaz1Parties.NetworkOperator, "ZAZ1 Network Operator", [UserRole.ED, UserRole.GT]),
        (Zaz1Parties.Supplier2, "ZAZ1 Supplier 2", [UserRole.IS, UserRole.ES, UserRole.GS]),
        (Zaz1Parties.OtherUser, "ZAZ1 Other User", [UserRole.OU]),
    ];

    /// <summary>The keystore path given, or the one under drivers/interop found above the working or the program's directory.</summary>
    public static string? FindKeystore(string? given)
    {
        if (given is not null)
            return given;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, KeystoreRelativePath);
                if (File.Exists(candidate))
                    return candidate;
            }
        return null;
    }

    public static DccBoxedKeyStore LoadKeystore(string? given)
    {
        var path = FindKeystore(given);
        if (path is null || !File.Exists(path))
            throw new PartyRegistrationException(
                $"--duis-test-parties needs @smartdcc/dccboxed-keystore's keystore.json, which is not installed ({(given is null ? $"looked for {KeystoreRelativePath} above {Directory.GetCurrentDirectory()}" : $"{given} does not exist")}). " +
                $"Run '{InstallCommand}' from the repository root, or pass --duis-keystore <file>.");
        return DccBoxedKeyStore.Parse(File.ReadAllText(path));
    }

    public static IEnumerable<DuisParty> Zaz1FromKeystore(DccBoxedKeyStore store) =>
        Zaz1.Select(p => new DuisParty(p.Id, p.Roles, [store.FindDuisSigning(p.Id).LoadCertificate()], p.Name));

    /// <summary>Reads a start-up file: {"parties": [{"eui", "roles", "certificates": [PEM text or a file path], "name"?, "callback"?}]}.</summary>
    public static IReadOnlyList<(DuisParty Party, Uri? Callback)> LoadFile(string path)
    {
        if (!File.Exists(path))
            throw new PartyRegistrationException($"--duis-parties: the file '{Path.GetFullPath(path)}' does not exist.");
        PartyFileDto? file;
        try
        {
            file = JsonSerializer.Deserialize<PartyFileDto>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }
        catch (JsonException e)
        {
            throw new PartyRegistrationException($"--duis-parties {path}: not valid JSON at {e.Path} (line {e.LineNumber + 1}): {e.Message}");
        }
        if (file?.Parties is not { Count: > 0 } parties)
            throw new PartyRegistrationException($"--duis-parties {path}: give {{\"parties\": [{{\"eui\": \"90-B3-D5-1F-30-01-00-00\", \"roles\": [\"IS\"], \"certificates\": [\"cert.pem\"]}}]}}.");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return parties.Select((p, i) => Read(p, $"{path}: parties[{i}]", folder)).ToList();
    }

    /// <summary>Checks and converts one party; certificate entries are PEM text or (from a file) paths relative to it.</summary>
    public static (DuisParty Party, Uri? Callback) Read(PartyDto dto, string where, string? folder = null)
    {
        if (!DuisEui.TryParse(dto.Eui, out var eui, out var euiError))
            throw new PartyRegistrationException($"{where}.eui: {euiError}");
        if (dto.Roles is not { Count: > 0 })
            throw new PartyRegistrationException($"{where}.roles: give the User Roles the party acts in, from {string.Join(", ", Enum.GetNames<UserRole>())}.");
        var roles = new List<UserRole>();
        foreach (var text in dto.Roles)
        {
            if (!Enum.TryParse<UserRole>(text, out var role) || !Enum.IsDefined(role) || int.TryParse(text, out _))
                throw new PartyRegistrationException($"{where}.roles: '{text}' is not a User Role; use {string.Join(", ", Enum.GetNames<UserRole>())}.");
            if (!roles.Contains(role))
                roles.Add(role);
        }
        if (dto.Certificates is not { Count: > 0 })
            throw new PartyRegistrationException($"{where}.certificates: give the party's XML signing certificate(s), PEM.");
        var certificates = dto.Certificates.Select((c, i) => Certificate(c, $"{where}.certificates[{i}]", folder)).ToList();
        Uri? callback = null;
        if (dto.Callback is not null && !Devices.CallbackRegistry.TryParseUrl(dto.Callback, out callback, out var callbackError))
            throw new PartyRegistrationException($"{where}.callback: {callbackError}");
        return (new DuisParty(eui, roles, certificates, dto.Name), callback);
    }

    private static X509Certificate2 Certificate(string value, string where, string? folder)
    {
        var pem = value;
        if (!value.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            var path = folder is null ? value : Path.Combine(folder, value);
            if (folder is null || !File.Exists(path))
                throw new PartyRegistrationException($"{where}: give the certificate as PEM text (-----BEGIN CERTIFICATE-----…){(folder is null ? "" : $", or a file that exists ({path} does not)")}.");
            pem = File.ReadAllText(path);
        }
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new PartyRegistrationException($"{where}: not a PEM X.509 certificate: {e.Message}");
        }
    }
}

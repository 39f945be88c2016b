using System.Diagnostics.CodeAnalysis;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Messages;

/// <summary>What a device Service Request says beyond its Service Reference, in typed form.</summary>
/// <param name="Device">The device added to or removed from a log, or joined or unjoined (8.11, 8.7, 8.8).</param>
/// <param name="Entries">The Device Log to restore (8.12).</param>
/// <param name="Cells">Credentials to write (6.15, 6.23); their content is opaque.</param>
/// <param name="CellNames">Cells to read (6.24); none means all.</param>
public sealed record ServiceRequestArguments
{
    public HanLogAction Action { get; init; } = HanLogAction.Add;

    public Eui64? Device { get; init; }

    public DeviceType? DeviceType { get; init; }

    public Octets InstallCode { get; init; }

    public ValueList<DeviceLogEntry> Entries { get; init; } = ValueList<DeviceLogEntry>.Empty;

    public ValueList<CredentialCell> Cells { get; init; } = ValueList<CredentialCell>.Empty;

    public ValueList<string> CellNames { get; init; } = ValueList<string>.Empty;
}

/// <summary>
/// Turns a device Service Request (its Service Reference Variant and arguments) into the command the reference
/// protocol sends, so a DCC maps DUIS to the WAN in one place: 8.11 Update HAN Device Log, 8.7.x Join, 8.8.x
/// Unjoin, 8.1.1 Commission Device, 8.9 Read Device Log, 8.12.x Restore Device Log, 6.15.x and 6.23 Update
/// Security Credentials, 6.17 Issue Security Credentials, 6.24.x Retrieve Device Security Credentials.
/// </summary>
public static class ServiceRequestCommands
{
    public static IReadOnlyList<string> Supported { get; } = ["8.11", "8.7", "8.8", "8.1.1", "8.9", "8.12", "6.15", "6.17", "6.23", "6.24"];

    /// <param name="problem">Why no command could be made: an SRV this protocol does not carry, or a missing argument.</param>
    public static bool TryCreate(
        string serviceReferenceVariant,
        RequestId requestId,
        ServiceRequestArguments arguments,
        [NotNullWhen(true)] out DeviceCommand? command,
        [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(serviceReferenceVariant);
        ArgumentNullException.ThrowIfNull(arguments);
        command = null;
        problem = null;
        var srv = serviceReferenceVariant.Trim();
        switch (Family(srv))
        {
            case "8.11" when Needs(arguments, srv, out problem, withType: arguments.Action == HanLogAction.Add):
                command = new UpdateHanDeviceLog(requestId, arguments.Action, arguments.Device!.Value, arguments.DeviceType, arguments.InstallCode);
                break;
            case "8.7" when Needs(arguments, srv, out problem, withType: true):
                command = new JoinDevice(requestId, arguments.Device!.Value, arguments.DeviceType!.Value);
                break;
            case "8.8" when Needs(arguments, srv, out problem, withType: false):
                command = new UnjoinDevice(requestId, arguments.Device!.Value);
                break;
            case "8.1.1":
                command = new CommissionDevice(requestId);
                break;
            case "8.9":
                command = new ReadDeviceLog(requestId);
                break;
            case "8.12":
                command = new RestoreDeviceLog(requestId, arguments.Entries);
                break;
            case "6.15" or "6.23":
                command = new UpdateSecurityCredentials(requestId, srv, arguments.Cells);
                break;
            case "6.17":
                command = new IssueSecurityCredentials(requestId, srv);
                break;
            case "6.24":
                command = new ReadSecurityCredentials(requestId, srv, arguments.CellNames);
                break;
            case "8.11" or "8.7" or "8.8":
                break;
            default:
                problem = $"Service Reference Variant {srv} has no command in the reference device protocol; it carries {string.Join(", ", Supported)}";
                break;
        }

        return command is not null;
    }

    /// <summary>"8.7.1" → "8.7", "6.24.2" → "6.24"; "8.1.1" and "8.11" stay as they are.</summary>
    private static string Family(string srv)
    {
        if (srv is "8.1.1" || srv.StartsWith("8.11", StringComparison.Ordinal) && (srv.Length == 4 || srv[4] == '.'))
        {
            return srv is "8.1.1" ? srv : "8.11";
        }

        var parts = srv.Split('.');
        return parts.Length >= 2 ? $"{parts[0]}.{parts[1]}" : srv;
    }

    private static bool Needs(ServiceRequestArguments arguments, string srv, out string? problem, bool withType)
    {
        problem = arguments.Device is null
            ? $"Service Request {srv} names no device (the Device ID to add, join or remove)"
            : withType && arguments.DeviceType is null
                ? $"Service Request {srv} gives no Device Type for {arguments.Device}"
                : null;
        return problem is null;
    }
}

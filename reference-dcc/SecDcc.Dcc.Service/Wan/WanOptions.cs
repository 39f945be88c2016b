using System.Globalization;
using System.Net;
using SecDcc.Dcc.Service.Hosting;
using SecDcc.Smki.Pki;
using Eui64 = SecDcc.Drivers.Link.Eui64;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>The SM WAN gateway's settings, read from the service's --wan-* switches.</summary>
public sealed record WanOptions
{
    /// <summary>The port to listen on; 0 picks a free one, printed at start and shown by /health/ready.</summary>
    public required int Port { get; init; }

    public IPAddress Address { get; init; } = IPAddress.Any;

    /// <summary>How long a Command waits for its Response before the request ends in a timeout outcome.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a connection may stay open without a verified "connected" communication from a CHF.</summary>
    public TimeSpan IdentifyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Connections served at once; more are closed as soon as they are accepted, and counted.</summary>
    public int MaxConnections { get; init; } = 256;

    public string? KeyFile { get; init; }
    public string? CertificateFile { get; init; }
    public IReadOnlyList<string> DeviceIssuerFiles { get; init; } = [];

    /// <summary>
    /// The Entity Identifiers of the DCC's Recovery Certificates: a recovery cell holding an Organisation Certificate of
    /// role recovery issued to one of them is populated with DCC Recovery credentials (AC 5.4). In test mode the test
    /// PKI's is known without the switch; otherwise, with none given, recovery cells read over the WAN are not judged.
    /// </summary>
    public IReadOnlyList<Eui64> RecoveryIds { get; init; } = [];

    /// <summary>The gateway's options, null when --wan-port was not given, or the error that names the switch.</summary>
    public static (WanOptions? Options, string? Error) From(ServiceOptions service)
    {
        if (service.WanPort is not { } port)
        {
            return service.WanSettings.Count == 0
                ? (null, null)
                : (null, $"{service.WanSettings[0].Key} configures the SM WAN gateway, which is off: give --wan-port <n> (0 for any free port) to start it.");
        }

        var options = new WanOptions { Port = port };
        var issuers = new List<string>();
        var recoveryIds = new List<Eui64>();
        foreach (var (name, value) in service.WanSettings)
        {
            switch (name)
            {
                case "--wan-address":
                    if (!IPAddress.TryParse(value, out var address))
                        return (null, $"--wan-address '{value}' is not an IP address, e.g. 0.0.0.0 or 127.0.0.1.");
                    options = options with { Address = address };
                    break;
                case "--wan-response-timeout":
                    if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var timeout) || timeout <= TimeSpan.Zero)
                        return (null, $"--wan-response-timeout '{value}' is not a positive duration such as 00:00:30.");
                    options = options with { ResponseTimeout = timeout };
                    break;
                case "--wan-key": options = options with { KeyFile = value }; break;
                case "--wan-cert": options = options with { CertificateFile = value }; break;
                case "--wan-device-ca": issuers.Add(value); break;
                case "--wan-recovery-id":
                    if (!Eui64.TryParse(value, out var recoveryId))
                        return (null, $"--wan-recovery-id '{value}' is not an EUI-64: give the Entity Identifier of a DCC Recovery Certificate as eight hex pairs, e.g. 90-B3-D5-1F-30-00-00-01.");
                    recoveryIds.Add(recoveryId);
                    break;
                default:
                    return (null, $"{name} is not a switch of the SM WAN gateway; it takes --wan-port, --wan-address, --wan-response-timeout, --wan-key, --wan-cert, --wan-device-ca and --wan-recovery-id.");
            }
        }

        if ((options.KeyFile is null) != (options.CertificateFile is null))
            return (null, "--wan-key and --wan-cert go together: the key signs the DCC's Commands and devices verify them with the certificate.");
        if (options.KeyFile is null && !service.TestMode)
            return (null, "--wan-port outside test mode needs the DCC's command-signing key and certificate: give --wan-key <pem> and --wan-cert <pem> (in --test-mode a key is made at start).");
        if (recoveryIds.Count == 0 && service.TestMode)
            recoveryIds.Add(TestPkiOptions.DefaultRecoveryId);
        return (options with { DeviceIssuerFiles = issuers, RecoveryIds = recoveryIds }, null);
    }
}

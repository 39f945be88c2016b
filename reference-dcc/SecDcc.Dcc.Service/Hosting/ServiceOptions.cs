using System.Globalization;

namespace SecDcc.Dcc.Service.Hosting;

/// <summary>The reference DCC's command line: where the SMI lives, test mode, keys and limits. ASP.NET Core's own switches (--urls) pass through.</summary>
public sealed record ServiceOptions
{
    public string DataPath { get; init; } = "secdcc-smi.db";
    public string? PostgresConnectionString { get; init; }
    public bool TestMode { get; init; }
    public IReadOnlyList<string> PanelKeyFiles { get; init; } = [];
    public long MaxBodyBytes { get; init; } = 1024 * 1024;
    public TimeSpan CplSmiUpdateDelay { get; init; } = TimeSpan.Zero;
    public TimeSpan DutyInterval { get; init; } = TimeSpan.FromSeconds(1);
    public DateTimeOffset? ClockStart { get; init; }
    /// <summary>The SM WAN gateway's TCP port (0: any free port); null leaves the gateway off. Its other --wan-* switches are read by Wan.WanOptions.</summary>
    public int? WanPort { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> WanSettings { get; init; } = [];
    public IReadOnlyList<string> PassThrough { get; init; } = [];

    // DUIS (docs/decisions/1000-1049, Duis/README.md)
    public bool DuisTestParties { get; init; }
    public string? DuisKeystorePath { get; init; }
    public IReadOnlyList<string> DuisPartyFiles { get; init; } = [];
    public string? DccSigningCertFile { get; init; }
    public string? DccSigningKeyFile { get; init; }
    public IReadOnlyList<string> DuisCallbacks { get; init; } = [];

    public const string Usage = """
        SecDcc reference DCC

          --data <file>              SQLite file holding the SMI (default secdcc-smi.db)
          --postgres <conn string>   use PostgreSQL instead, e.g. "Host=127.0.0.1;Username=dcc;Database=smi"
          --test-mode                virtual clock and the /clock and /inventory/events endpoints
          --clock-start <instant>    where the virtual clock starts (test mode; default now)
          --panel-key <pem file>     a Panel public key that may sign the CPL (repeatable; also SECDCC_PANEL_KEYS_PEM)
          --cpl-smi-update-delay <hh:mm:ss>  when the SMI follows a new CPL (at most 24:00:00, F2.15(b))
          --max-body-bytes <n>       largest request body accepted (default 1048576)
          --duty-interval <hh:mm:ss> how often scheduled duties run (default 00:00:01)
          --duis-test-parties        register the ZAZ1 test parties of @smartdcc/dccboxed-keystore as DUIS Users
                                     and sign DUIS responses with its DSP key (90-B3-D5-1F-30-00-00-02)
          --duis-keystore <file>     keystore.json to read for --duis-test-parties (default: found under
                                     drivers/interop/node_modules; install with npm ci --prefix drivers/interop)
          --duis-parties <file>      a JSON file of DUIS Users to register (repeatable; see Duis/README.md)
          --dcc-signing-cert <pem>   the DCC's XML signing certificate for DUIS responses (with --dcc-signing-key)
          --dcc-signing-key <pem>    its PKCS#8 private key; without either, a key made at start-up signs
          --duis-callback <eui>=<url>  where device responses for that User are POSTed (repeatable)
          --urls <urls>              where to listen, e.g. http://127.0.0.1:5080
          --wan-port <n>             start the SM WAN gateway on this TCP port (0: any free port; default off)
          --wan-address <ip>         the address the gateway listens on (default 0.0.0.0)
          --wan-response-timeout <hh:mm:ss>  how long a Command waits for the Device's Response (default 00:00:30)
          --wan-key <pem file>       the DCC's command-signing private key (PKCS#8); with --wan-cert, required outside test mode
          --wan-cert <pem file>      the certificate of that key, which devices hold in their accessControlBroker cell
          --wan-device-ca <pem file> an issuer of Device Certificates to trust (repeatable; test mode: also POST /wan/device-issuers)
        """;

    /// <summary>Parses the arguments; an error names the switch and what it expects.</summary>
    public static (ServiceOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var o = new ServiceOptions();
        var keys = new List<string>();
        var partyFiles = new List<string>();
        var callbacks = new List<string>();
        var rest = new List<string>();
        var wan = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new ArgumentException($"{a} needs a value.");
                return args[++i];
            }

            try
            {
                switch (a)
                {
                    case "--data": o = o with { DataPath = Value() }; break;
                    case "--postgres": o = o with { PostgresConnectionString = Value() }; break;
                    case "--test-mode": o = o with { TestMode = true }; break;
                    case "--panel-key": keys.Add(Value()); break;
                    case "--clock-start":
                        var v = Value();
                        o = o with { ClockStart = DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : throw new ArgumentException($"--clock-start '{v}' is not an ISO 8601 instant.") };
                        break;
                    case "--max-body-bytes":
                        var b = Value();
                        o = o with { MaxBodyBytes = long.TryParse(b, out var n) && n > 0 ? n : throw new ArgumentException($"--max-body-bytes '{b}' is not a positive number of bytes.") };
                        break;
                    case "--cpl-smi-update-delay": o = o with { CplSmiUpdateDelay = Span(a, Value()) }; break;
                    case "--duty-interval": o = o with { DutyInterval = Span(a, Value()) }; break;
                    case "--wan-port":
                        var w = Value();
                        o = o with { WanPort = int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535 ? port : throw new ArgumentException($"--wan-port '{w}' is not a TCP port: give 0 (any free port) to 65535.") };
                        break;
                    case var wanSwitch when wanSwitch.StartsWith("--wan-", StringComparison.Ordinal): wan.Add(new(wanSwitch, Value())); break;
                    case "--duis-test-parties": o = o with { DuisTestParties = true }; break;
                    case "--duis-keystore": o = o with { DuisKeystorePath = Value() }; break;
                    case "--duis-parties": partyFiles.Add(Value()); break;
                    case "--dcc-signing-cert": o = o with { DccSigningCertFile = Value() }; break;
                    case "--dcc-signing-key": o = o with { DccSigningKeyFile = Value() }; break;
                    case "--duis-callback":
                        var c = Value();
                        callbacks.Add(c.Contains('=') ? c : throw new ArgumentException($"--duis-callback '{c}' is not <EUI-64>=<url>, e.g. 90-B3-D5-1F-30-01-00-00=http://127.0.0.1:9000/duis."));
                        break;
                    case "--help" or "-h": return (null, Usage);
                    default:
                        rest.Add(a);
                        if (a.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                            rest.Add(args[++i]);
                        break;
                }
            }
            catch (ArgumentException e)
            {
                return (null, e.Message + Environment.NewLine + Usage);
            }
        }
        if ((o.DccSigningCertFile is null) != (o.DccSigningKeyFile is null))
            return (null, "--dcc-signing-cert and --dcc-signing-key go together: give both PEM files, or neither." + Environment.NewLine + Usage);
        return (o with { PanelKeyFiles = keys, PassThrough = rest, WanSettings = wan, DuisPartyFiles = partyFiles, DuisCallbacks = callbacks }, null);
    }

    private static TimeSpan Span(string name, string value) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var t) && t >= TimeSpan.Zero ? t : throw new ArgumentException($"{name} '{value}' is not a duration such as 00:00:05.");
}

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
    public IReadOnlyList<string> PassThrough { get; init; } = [];

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
          --urls <urls>              where to listen, e.g. http://127.0.0.1:5080
        """;

    /// <summary>Parses the arguments; an error names the switch and what it expects.</summary>
    public static (ServiceOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var o = new ServiceOptions();
        var keys = new List<string>();
        var rest = new List<string>();
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
        return (o with { PanelKeyFiles = keys, PassThrough = rest }, null);
    }

    private static TimeSpan Span(string name, string value) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var t) && t >= TimeSpan.Zero ? t : throw new ArgumentException($"{name} '{value}' is not a duration such as 00:00:05.");
}

using System.Globalization;
using System.Runtime.CompilerServices;

namespace SecDcc.Drivers.Gpio;

/// <summary>
/// The GPIO façade: opens and closes lines by number or name, reads, writes and watches edges, and checks
/// every call against what it knows of the line, over an <see cref="IGpioBackend"/> that only does I/O.
/// </summary>
/// <remarks>
/// <para>Every error names the line and what it is for ("cannot write line 12 (relay 'esme-power'): it is
/// not open as an output"), so a failed step in a report says which wire to look at.</para>
/// <para>Calls on one line are serialised; calls on different lines may run at the same time.</para>
/// <para>Ownership: the controller disposes the backend only when created with <c>ownsBackend</c> true (the
/// default); a simulated bank shared with an emulator is passed with false.</para>
/// </remarks>
public sealed class GpioController : IAsyncDisposable, IDisposable
{
    private readonly IGpioBackend _backend;
    private readonly bool _ownsBackend;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, OpenLine> _open = [];
    private readonly Dictionary<int, SemaphoreSlim> _lineGates = [];
    private int _disposed;

    public GpioController(IGpioBackend backend, bool ownsBackend = true)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
        _ownsBackend = ownsBackend;
    }

    public IGpioBackend Backend => _backend;

    public IReadOnlyList<GpioLineInfo> Lines => _backend.Lines;

    /// <inheritdoc cref="IGpioBackend.Now"/>
    public TimeSpan Now => _backend.Now;

    /// <summary>Finds a line by its number ("17") or its backend name ("relay3", "GPIO17"; case-insensitive).</summary>
    /// <exception cref="ArgumentException">No such line; the message lists the backend's lines.</exception>
    public int ResolveLine(string numberOrName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(numberOrName);
        var text = numberOrName.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            _ = Info(number);
            return number;
        }

        var byName = _backend.Lines.FirstOrDefault(l => string.Equals(l.Name, text, StringComparison.OrdinalIgnoreCase));
        return byName?.Number ?? throw new ArgumentException(
            $"{_backend.Name} has no line named '{text}'; its lines are {ListLines()}",
            nameof(numberOrName));
    }

    public bool IsOpen(int line)
    {
        lock (_gate)
        {
            return _open.ContainsKey(line);
        }
    }

    /// <summary>The direction an open line has, or null when it is not open.</summary>
    public GpioDirection? DirectionOf(int line)
    {
        lock (_gate)
        {
            return _open.TryGetValue(line, out var l) ? l.Config.Direction : null;
        }
    }

    /// <summary>"line 12 (relay 'esme-power')", or the backend's name for the line when it has no label.</summary>
    public string Describe(int line)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(line, out var l))
            {
                return l.Description;
            }
        }

        return DescribeUnopened(line, label: null);
    }

    /// <summary>Opens a line by number or name; returns its number.</summary>
    public async ValueTask<int> OpenAsync(string numberOrName, GpioDirection direction, GpioOpenOptions? options = null, CancellationToken cancellationToken = default)
    {
        var line = ResolveLine(numberOrName);
        await OpenAsync(line, direction, options, cancellationToken).ConfigureAwait(false);
        return line;
    }

    /// <summary>Claims a line as an input or an output.</summary>
    /// <exception cref="InvalidOperationException">The line is already open here.</exception>
    /// <exception cref="ArgumentException">The line does not exist, or cannot do what the options ask.</exception>
    /// <exception cref="GpioException">The backend refused (busy, permission, module not answering).</exception>
    public async ValueTask OpenAsync(int line, GpioDirection direction, GpioOpenOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        options ??= new GpioOpenOptions();
        var info = Info(line);
        var description = DescribeUnopened(line, options.Label);
        var config = new GpioLineConfig
        {
            Direction = direction,
            InitialLevel = options.InitialLevel,
            Edges = options.Edges,
            Bias = options.Bias,
            Debounce = options.Debounce,
            Consumer = ConsumerOf(options.Label),
        };
        CheckConfig(info, description, config, "open");

        var gate = GateOf(line);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var opened = new OpenLine(line, description, config);
            lock (_gate)
            {
                if (_open.TryGetValue(line, out var already))
                {
                    throw new InvalidOperationException(
                        $"cannot open {description}: it is already open as an {already.Config.Direction.ToString().ToLowerInvariant()} ({already.Description}); close it first or use SetDirectionAsync");
                }
            }

            await _backend.OpenLineAsync(line, config, opened, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _open[line] = opened;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Turns an open line round, keeping the claim on it.</summary>
    public async ValueTask SetDirectionAsync(int line, GpioDirection direction, GpioLevel initialLevel = GpioLevel.Low, CancellationToken cancellationToken = default)
    {
        await WithOpenLine(line, "change the direction of", async (open, ct) =>
        {
            var config = open.Config with
            {
                Direction = direction,
                InitialLevel = initialLevel,
                Edges = direction == GpioDirection.Output ? GpioEdges.None : open.Config.Edges,
            };
            CheckConfig(Info(line), open.Description, config, "change the direction of");
            await _backend.ReconfigureLineAsync(line, config, ct).ConfigureAwait(false);
            open.Config = config;
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <exception cref="InvalidOperationException">The line is not open, or not as an output.</exception>
    public async ValueTask WriteAsync(int line, GpioLevel level, CancellationToken cancellationToken = default)
    {
        if (level is not (GpioLevel.Low or GpioLevel.High))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"cannot write {Describe(line)}: {level} is not a level (Low or High)");
        }

        await WithOpenLine(line, "write", async (open, ct) =>
        {
            if (open.Config.Direction != GpioDirection.Output)
            {
                throw new InvalidOperationException($"cannot write {open.Description}: it is not open as an output (it is an input); open it with GpioDirection.Output");
            }

            await _backend.WriteAsync(line, level, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the level of an input, or the level an output drives.</summary>
    public ValueTask<GpioLevel> ReadAsync(int line, CancellationToken cancellationToken = default) =>
        WithOpenLine(line, "read", (_, ct) => _backend.ReadAsync(line, ct), cancellationToken);

    /// <summary>Starts collecting edges of an input opened with edge detection.</summary>
    /// <exception cref="InvalidOperationException">The line is not open as an input, or was opened without the edges asked for.</exception>
    public GpioEdgeWatcher Watch(int line, GpioEdges edges = GpioEdges.Both)
    {
        ThrowIfDisposed();
        if (edges == GpioEdges.None || (edges & ~GpioEdges.Both) != 0)
        {
            throw new ArgumentException($"cannot watch {Describe(line)}: say which edges (Rising, Falling or Both)", nameof(edges));
        }

        lock (_gate)
        {
            if (!_open.TryGetValue(line, out var open))
            {
                throw NotOpen(line, "watch");
            }

            if (open.Config.Direction != GpioDirection.Input)
            {
                throw new InvalidOperationException($"cannot watch {open.Description} for edges: it is open as an output; only inputs have edges");
            }

            if ((open.Config.Edges & edges) != edges)
            {
                throw new InvalidOperationException(
                    $"cannot watch {open.Description} for {Name(edges)} edges: it was opened with edge detection {Name(open.Config.Edges)}; open it with Edges = GpioEdges.{edges}");
            }

            var watcher = new GpioEdgeWatcher(line, open.Description, edges, open.Remove);
            open.Add(watcher);
            return watcher;
        }
    }

    /// <summary>The edges of an input as an async stream; registration happens at the first MoveNextAsync.</summary>
    public async IAsyncEnumerable<GpioEdgeEvent> WatchAsync(int line, GpioEdges edges = GpioEdges.Both, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var watcher = Watch(line, edges);
        await foreach (var edge in watcher.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return edge;
        }
    }

    /// <summary>Calls <paramref name="callback"/> for each edge, on a thread pool thread, until disposed or the line is closed.</summary>
    public GpioEdgeSubscription OnEdge(int line, GpioEdges edges, Action<GpioEdgeEvent> callback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var watcher = Watch(line, edges);
        return new GpioEdgeSubscription(BackgroundLoop.Start(
            async stop =>
            {
                using (watcher)
                {
                    await foreach (var edge in watcher.ReadAllAsync(stop).ConfigureAwait(false))
                    {
                        callback(edge);
                    }
                }
            },
            cancellationToken));
    }

    /// <summary>Releases a line; its watchers end.</summary>
    public async ValueTask CloseAsync(int line, CancellationToken cancellationToken = default)
    {
        await WithOpenLine(line, "close", async (open, ct) =>
        {
            await _backend.CloseLineAsync(line, ct).ConfigureAwait(false);
            lock (_gate)
            {
                _open.Remove(line);
            }

            open.CompleteAll(null);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        OpenLine[] lines;
        lock (_gate)
        {
            lines = [.. _open.Values];
            _open.Clear();
        }

        List<Exception> failures = [];
        foreach (var line in lines)
        {
            try
            {
                await _backend.CloseLineAsync(line.Number, CancellationToken.None).ConfigureAwait(false);
            }
            catch (GpioException e)
            {
                // Keep closing the others; the failures are reported together below.
                failures.Add(e);
            }

            line.CompleteAll(null);
        }

        if (_ownsBackend)
        {
            await _backend.DisposeAsync().ConfigureAwait(false);
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"closing the lines of {_backend.Name} failed", failures);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async ValueTask<T> WithOpenLine<T>(int line, string action, Func<OpenLine, CancellationToken, ValueTask<T>> body, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var gate = GateOf(line);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            OpenLine? open;
            lock (_gate)
            {
                _open.TryGetValue(line, out open);
            }

            if (open is null)
            {
                throw NotOpen(line, action);
            }

            return await body(open, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private InvalidOperationException NotOpen(int line, string action) =>
        new($"cannot {action} {DescribeUnopened(line, null)}: it is not open; open it first with OpenAsync");

    private void CheckConfig(GpioLineInfo info, string description, GpioLineConfig config, string action)
    {
        var wanted = config.Direction == GpioDirection.Input ? GpioCapabilities.Input : GpioCapabilities.Output;
        if (!info.Can(wanted))
        {
            throw new ArgumentException(
                $"cannot {action} {description} as an {config.Direction.ToString().ToLowerInvariant()}: {_backend.Name} can only use it as {Can(info)}");
        }

        if (config.Edges != GpioEdges.None)
        {
            if (config.Direction != GpioDirection.Input)
            {
                throw new ArgumentException($"cannot {action} {description}: edge detection is for inputs only");
            }

            if (!info.Can(GpioCapabilities.EdgeEvents))
            {
                throw new ArgumentException($"cannot {action} {description} with edge detection: {_backend.Name} reports no edges on it");
            }
        }

        if (config.Bias != GpioBias.AsIs && !info.Can(GpioCapabilities.Bias))
        {
            throw new ArgumentException($"cannot {action} {description} with bias {config.Bias}: {_backend.Name} cannot set a bias; use GpioBias.AsIs and an external resistor");
        }

        if (config.Debounce < TimeSpan.Zero)
        {
            throw new ArgumentException($"cannot {action} {description}: a debounce period cannot be negative ({config.Debounce})");
        }

        if (config.Debounce > TimeSpan.Zero && !info.Can(GpioCapabilities.Debounce))
        {
            throw new ArgumentException($"cannot {action} {description} with a debounce of {config.Debounce.TotalMilliseconds} ms: {_backend.Name} cannot debounce");
        }
    }

    private GpioLineInfo Info(int line)
    {
        var lines = _backend.Lines;
        return lines.FirstOrDefault(l => l.Number == line) ?? throw new ArgumentOutOfRangeException(
            nameof(line),
            line,
            $"{_backend.Name} has no line {line}; its lines are {ListLines()}");
    }

    private string DescribeUnopened(int line, string? label)
    {
        if (!string.IsNullOrWhiteSpace(label))
        {
            return $"line {line} ({label})";
        }

        var name = _backend.Lines.FirstOrDefault(l => l.Number == line)?.Name;
        return string.IsNullOrEmpty(name) || name == line.ToString(CultureInfo.InvariantCulture) ? $"line {line}" : $"line {line} ({name})";
    }

    private string ListLines()
    {
        var lines = _backend.Lines;
        var shown = lines.Take(24).Select(l => string.IsNullOrEmpty(l.Name) ? l.Number.ToString(CultureInfo.InvariantCulture) : $"{l.Number} {l.Name}");
        return lines.Count == 0 ? "none" : string.Join(", ", shown) + (lines.Count > 24 ? $", … ({lines.Count} in all)" : string.Empty);
    }

    private SemaphoreSlim GateOf(int line)
    {
        lock (_gate)
        {
            if (!_lineGates.TryGetValue(line, out var gate))
            {
                gate = new SemaphoreSlim(1, 1);
                _lineGates[line] = gate;
            }

            return gate;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static string ConsumerOf(string? label)
    {
        // The kernel keeps 31 bytes of consumer label; a label in quotes ("relay 'esme-power'") is shortened to its name.
        var text = string.IsNullOrWhiteSpace(label) ? "secdcc" : "secdcc " + label.Replace("'", string.Empty, StringComparison.Ordinal);
        return text.Length <= 31 ? text : text[..31];
    }

    private static string Can(GpioLineInfo info) => (info.Can(GpioCapabilities.Input), info.Can(GpioCapabilities.Output)) switch
    {
        (true, true) => "an input or an output",
        (true, false) => "an input",
        (false, true) => "an output",
        _ => "nothing",
    };

    private static string Name(GpioEdges edges) => edges switch
    {
        GpioEdges.None => "off",
        GpioEdges.Both => "on both",
        _ => edges.ToString().ToLowerInvariant(),
    };

    /// <summary>An open line: its configuration and its watchers; also the sink its backend reports to.</summary>
    private sealed class OpenLine(int number, string description, GpioLineConfig config) : IGpioLineSink
    {
        private readonly Lock _watchersGate = new();
        private GpioEdgeWatcher[] _watchers = [];

        public int Number { get; } = number;

        public string Description { get; } = description;

        public GpioLineConfig Config { get; set; } = config;

        public void Add(GpioEdgeWatcher watcher)
        {
            lock (_watchersGate)
            {
                _watchers = [.. _watchers, watcher];
            }
        }

        public void Remove(GpioEdgeWatcher watcher)
        {
            lock (_watchersGate)
            {
                _watchers = _watchers.Where(w => w != watcher).ToArray();
            }
        }

        public void OnEdge(GpioEdgeEvent edge)
        {
            foreach (var watcher in Volatile.Read(ref _watchers))
            {
                watcher.Post(edge);
            }
        }

        public void OnFault(GpioException fault) =>
            CompleteAll(new GpioException(fault.Error, $"{Description}: {fault.Message}", fault.Errno, fault));

        public void CompleteAll(GpioException? fault)
        {
            GpioEdgeWatcher[] watchers;
            lock (_watchersGate)
            {
                watchers = _watchers;
                _watchers = [];
            }

            foreach (var watcher in watchers)
            {
                watcher.Complete(fault);
            }
        }
    }
}

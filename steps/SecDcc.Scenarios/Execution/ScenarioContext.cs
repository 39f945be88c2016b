using System.Collections.Concurrent;
using System.Text;

namespace SecDcc.Scenarios;

/// <summary>What a binding may know and do about the running scenario: its identity, tags, evidence and sub-steps.</summary>
public sealed class ScenarioContext
{
    private readonly Stack<StepRecord> _open = new();

    internal ScenarioContext(ScenarioCase scenario, TestRunContext run)
    {
        Scenario = scenario;
        TestRun = run;
    }

    public ScenarioCase Scenario { get; }
    public TestRunContext TestRun { get; }
    public IReadOnlyList<string> Tags => Scenario.Tags;

    /// <summary>
    /// How the scenario stands so far: Passed until a hook or step does not pass. After-scenario hooks read it to
    /// attach extra evidence (a service log, a serial trace) to failed scenarios only.
    /// </summary>
    public StepStatus Outcome { get; internal set; } = StepStatus.Passed;

    public bool HasFailed => Outcome is not (StepStatus.Passed or StepStatus.Skipped);

    /// <summary>Free-form state for step classes that do not share a typed context object.</summary>
    public Dictionary<string, object> Items { get; } = [];

    internal StepRecord? Current => _open.Count > 0 ? _open.Peek() : null;
    internal List<Attachment> ScenarioAttachments { get; } = [];

    internal void Enter(StepRecord step) => _open.Push(step);

    internal void Leave() => _open.Pop();

    /// <summary>Attaches evidence to the step that is running (or to the scenario between steps).</summary>
    public void Attach(string name, byte[] content, string mimeType) =>
        (Current?.Attachments ?? ScenarioAttachments).Add(new Attachment(name, content, mimeType));

    public void Attach(string name, string text, string mimeType = "text/plain") =>
        Attach(name, Encoding.UTF8.GetBytes(text), mimeType);

    /// <summary>
    /// Opens a nested step inside the running one (e.g. "send DUIS 8.2"); dispose it to close it. An exception
    /// that escapes the using block marks it failed via <see cref="SubStep.Fail"/> when the caller catches it.
    /// </summary>
    public SubStep Step(string name)
    {
        var parent = Current;
        var record = new StepRecord(name) { Status = StepStatus.Passed };
        (parent?.Children ?? throw new InvalidOperationException("Sub-steps can only be opened while a step runs.")).Add(record);
        Enter(record);
        return new SubStep(this, record);
    }

    /// <summary>Runs an action as a nested step, recording its failure before rethrowing.</summary>
    public async Task Step(string name, Func<Task> action)
    {
        using var step = Step(name);
        try { await action(); }
        catch (Exception e) { step.Fail(e); throw; }
    }
}

public sealed class SubStep : IDisposable
{
    private readonly ScenarioContext _context;
    private readonly StepRecord _record;
    private bool _closed;

    internal SubStep(ScenarioContext context, StepRecord record)
    {
        _context = context;
        _record = record;
    }

    public void Fail(Exception e)
    {
        _record.Status = Outcomes.Classify(e);
        _record.Error = e;
    }

    public void Dispose()
    {
        if (_closed) return;
        _closed = true;
        _record.Stop = DateTimeOffset.UtcNow;
        _context.Leave();
    }
}

/// <summary>
/// Shared by every scenario of a run: long-lived resources (a started DCC, an emulated rig) that are too
/// costly to build per scenario. Disposed after the last scenario.
/// </summary>
public sealed class TestRunContext : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<object>> _items = new();
    private readonly List<object> _owned = [];

    public T GetOrAdd<T>(string key, Func<T> factory) where T : notnull =>
        (T)_items.GetOrAdd(key, _ => new Lazy<object>(() =>
        {
            var value = factory();
            lock (_owned) _owned.Add(value);
            return value;
        })).Value;

    public bool TryGet<T>(string key, out T? value)
    {
        if (_items.TryGetValue(key, out var lazy) && lazy.IsValueCreated && lazy.Value is T t)
        {
            value = t;
            return true;
        }
        value = default;
        return false;
    }

    public IDictionary<string, string> Environment { get; } = new ConcurrentDictionary<string, string>();

    public async ValueTask DisposeAsync()
    {
        object[] owned;
        lock (_owned) { owned = [.. _owned]; _owned.Clear(); }
        _items.Clear();
        foreach (var item in owned.Reverse())
        {
            switch (item)
            {
                case IAsyncDisposable a: await a.DisposeAsync(); break;
                case IDisposable d: d.Dispose(); break;
            }
        }
    }
}

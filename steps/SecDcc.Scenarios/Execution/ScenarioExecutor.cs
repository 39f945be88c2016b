using System.Collections;
using System.Reflection;

namespace SecDcc.Scenarios;

/// <summary>
/// Runs one scenario: hooks and steps in order, each matched to exactly one binding, in one scope. After the
/// first step that does not pass the rest are skipped; after-hooks always run. Never throws for a failing
/// scenario: the outcome is in the result, so any host (NUnit, the secdcc command) decides what to do with it.
/// </summary>
public sealed class ScenarioExecutor(BindingRegistry registry, TestRunContext run)
{
    public static TimeSpan DefaultStepTimeout { get; } =
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("SECDCC_STEP_TIMEOUT_SECONDS"), out var s) && s > 0 ? s : 300);

    public TimeSpan StepTimeout { get; init; } = DefaultStepTimeout;

    public async Task<ScenarioResult> RunAsync(ScenarioCase scenario, CancellationToken cancellationToken = default)
    {
        var result = new ScenarioResult(scenario) { Start = DateTimeOffset.UtcNow };
        if (scenario.LoadError is not null)
        {
            result.Status = StepStatus.BindingError;
            result.Message = scenario.LoadError;
            result.Stop = DateTimeOffset.UtcNow;
            return result;
        }

        var context = new ScenarioContext(scenario, run);
        var scope = new ScenarioScope();
        scope.Register(context);
        scope.Register(run);
        scope.Register(registry);

        var ok = true;
        foreach (var hook in registry.HooksFor(HookKind.BeforeScenario, scenario))
        {
            var record = await RunHook(hook, scope, context, cancellationToken);
            result.BeforeHooks.Add(record);
            if (record.Status != StepStatus.Passed && ok)
            {
                ok = false;
                Adopt(result, record, $"[BeforeScenario] {Describe(hook.Method)} failed: ");
                context.Outcome = record.Status;
            }
        }

        foreach (var step in scenario.Steps)
        {
            var record = new StepRecord($"{step.Keyword} {step.Text}");
            result.Steps.Add(record);
            if (!ok)
            {
                record.Status = StepStatus.Skipped;
                continue;
            }
            await RunStep(step, record, scope, context, scenario, cancellationToken);
            if (record.Status != StepStatus.Passed)
            {
                ok = false;
                Adopt(result, record, $"Step '{record.Name}' (line {step.Line}): ");
                context.Outcome = record.Status;
            }
        }

        foreach (var hook in registry.HooksFor(HookKind.AfterScenario, scenario))
        {
            var record = await RunHook(hook, scope, context, cancellationToken);
            result.AfterHooks.Add(record);
            if (record.Status != StepStatus.Passed && ok)
            {
                ok = false;
                Adopt(result, record, $"[AfterScenario] {Describe(hook.Method)} failed: ");
            }
        }

        try
        {
            await scope.DisposeAsync();
        }
        catch (AggregateException e) when (ok)
        {
            result.Status = StepStatus.Error;
            result.Error = e;
            result.Message = $"Disposing the scenario's objects failed: {string.Join("; ", e.InnerExceptions.Select(x => x.Message))}";
        }
        catch (AggregateException)
        {
            // The scenario already failed for a reason that matters more than a failed cleanup.
        }

        result.Attachments.AddRange(context.ScenarioAttachments);
        result.Stop = DateTimeOffset.UtcNow;
        return result;
    }

    private static void Adopt(ScenarioResult result, StepRecord record, string prefix)
    {
        result.Status = record.Status;
        result.Error = record.Error;
        result.Message = prefix + (record.Message ?? record.Error?.Message ?? record.Status.ToString());
    }

    private async Task RunStep(ScenarioStep step, StepRecord record, ScenarioScope scope, ScenarioContext context,
        ScenarioCase scenario, CancellationToken cancellationToken)
    {
        record.Start = DateTimeOffset.UtcNow;
        try
        {
            switch (registry.Match(step))
            {
                case MatchUndefined u:
                    record.Status = StepStatus.Undefined;
                    record.Message = $"No binding matches this step. Add one:{Environment.NewLine}{Environment.NewLine}{u.Snippet}" +
                        (u.OtherKeywordMatches.Count > 0
                            ? $"{Environment.NewLine}{Environment.NewLine}Bindings of another keyword match it: " +
                              string.Join("; ", u.OtherKeywordMatches.Select(b => b.Describe())) +
                              $". The step is written as '{step.Keyword}' ({step.Kind})."
                            : "");
                    return;
                case MatchAmbiguous a:
                    record.Status = StepStatus.Ambiguous;
                    record.Message = $"{a.Candidates.Count} bindings match this step; exactly one must:{Environment.NewLine}" +
                        string.Join(Environment.NewLine, a.Candidates.Select(b => "  - " + b.Describe()));
                    return;
                case MatchBroken b:
                    record.Status = StepStatus.BindingError;
                    record.Message = b.Error.Message;
                    return;
                case MatchFound found:
                    record.Binding = found.Binding;
                    foreach (var hook in registry.HooksFor(HookKind.BeforeStep, scenario))
                        await Invoke(hook.Method, scope, [], cancellationToken);
                    context.Enter(record);
                    try
                    {
                        var arguments = BindArguments(found, step, cancellationToken);
                        await Invoke(found.Binding.Method, scope, arguments, cancellationToken);
                    }
                    finally
                    {
                        context.Leave();
                    }
                    foreach (var hook in registry.HooksFor(HookKind.AfterStep, scenario))
                        await Invoke(hook.Method, scope, [], cancellationToken);
                    record.Status = StepStatus.Passed;
                    return;
            }
        }
        catch (Exception e)
        {
            var inner = Outcomes.Unwrap(e);
            record.Status = Outcomes.Classify(inner);
            record.Error = inner;
            record.Message = inner.Message;
        }
        finally
        {
            record.Stop = DateTimeOffset.UtcNow;
        }
    }

    private async Task<StepRecord> RunHook(HookBinding hook, ScenarioScope scope, ScenarioContext context, CancellationToken cancellationToken)
    {
        var record = new StepRecord(Describe(hook.Method)) { Start = DateTimeOffset.UtcNow };
        context.Enter(record);
        try
        {
            await Invoke(hook.Method, scope, [], cancellationToken);
            record.Status = StepStatus.Passed;
        }
        catch (Exception e)
        {
            var inner = Outcomes.Unwrap(e);
            record.Status = Outcomes.Classify(inner);
            record.Error = inner;
            record.Message = inner.Message;
        }
        finally
        {
            context.Leave();
            record.Stop = DateTimeOffset.UtcNow;
        }
        return record;
    }

    private async Task Invoke(MethodInfo method, ScenarioScope scope, object?[] arguments, CancellationToken cancellationToken)
    {
        var target = method.IsStatic ? null : scope.Resolve(method.DeclaringType!);
        if (arguments.Length == 0 && method.GetParameters().Length > 0)
            arguments = method.GetParameters().Select(p =>
                p.ParameterType == typeof(CancellationToken) ? cancellationToken : scope.Resolve(p.ParameterType)).ToArray();
        // NUnit records a failed Assert in the running test's result as well as throwing; isolate it so the
        // outcome is only what this executor decides, whoever hosts it.
        using var isolated = new NUnit.Framework.Internal.TestExecutionContext.IsolatedContext();
        object? returned;
        try
        {
            returned = method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        var task = returned switch
        {
            Task t => t,
            ValueTask v => v.AsTask(),
            _ => null,
        };
        if (task is null) return;
        try
        {
            await task.WaitAsync(StepTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Describe(method)} did not finish within {StepTimeout.TotalSeconds:0} s (SECDCC_STEP_TIMEOUT_SECONDS).");
        }
    }

    private object?[] BindArguments(MatchFound found, ScenarioStep step, CancellationToken cancellationToken)
    {
        var parameters = found.Binding.Method.GetParameters();
        var trailing = (step.Table is null ? 0 : 1) + (step.DocString is null ? 0 : 1);
        var expected = found.Arguments.Count + trailing;
        var cancellation = parameters.Length > 0 && parameters[^1].ParameterType == typeof(CancellationToken) ? 1 : 0;
        if (parameters.Length - cancellation != expected)
            throw new StepArgumentException(
                $"{Describe(found.Binding.Method)} takes {parameters.Length - cancellation} argument(s) but the step supplies {expected} " +
                $"({found.Arguments.Count} from the pattern{(step.Table is null ? "" : ", a data table")}{(step.DocString is null ? "" : ", a doc string")}).");

        var values = new object?[parameters.Length];
        var i = 0;
        for (; i < found.Arguments.Count; i++)
            values[i] = ConvertText(found.Arguments[i], parameters[i]);
        if (step.Table is not null) values[i] = ConvertTable(step.Table, parameters[i++]);
        if (step.DocString is not null) values[i] = ConvertText(step.DocString, parameters[i++]);
        if (cancellation == 1) values[i] = cancellationToken;
        return values;
    }

    private object? ConvertText(string text, ParameterInfo parameter)
    {
        if (registry.TransformationFor(parameter.ParameterType, typeof(string)) is { } transform)
            return InvokeTransformation(transform, text);
        return ValueConverter.Convert(text, parameter.ParameterType, $"argument '{parameter.Name}'");
    }

    private object? ConvertTable(DataTable table, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type == typeof(DataTable)) return table;
        if (registry.TransformationFor(type, typeof(DataTable)) is { } transform)
            return InvokeTransformation(transform, table);
        var element = type.IsArray ? type.GetElementType()
            : type.IsGenericType && type.GetGenericArguments() is [var arg] && type.IsAssignableFrom(typeof(List<>).MakeGenericType(arg)) ? arg
            : null;
        if (element is not null)
        {
            var set = (IList)typeof(DataTable).GetMethod(nameof(DataTable.CreateSet))!.MakeGenericMethod(element).Invoke(table, [])!;
            if (!type.IsArray) return set;
            var array = Array.CreateInstance(element, set.Count);
            set.CopyTo(array, 0);
            return array;
        }
        return typeof(DataTable).GetMethod(nameof(DataTable.CreateInstance))!.MakeGenericMethod(type).Invoke(table, []);
    }

    private static object? InvokeTransformation(MethodInfo transform, object input)
    {
        if (!transform.IsStatic)
            throw new StepArgumentException($"[StepArgumentTransformation] {Describe(transform)} must be static.");
        return transform.Invoke(null, [input]);
    }

    private static string Describe(MethodInfo method) => $"{method.DeclaringType?.Name}.{method.Name}";
}

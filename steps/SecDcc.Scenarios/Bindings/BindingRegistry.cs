using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace SecDcc.Scenarios;

public sealed record StepBinding(StepKind Kind, string Pattern, Regex Regex, MethodInfo Method)
{
    public string Describe() => $"[{Kind}(\"{Pattern}\")] {Method.DeclaringType?.FullName}.{Method.Name}";
}

public sealed record HookBinding(HookKind Kind, IReadOnlyList<string> Tags, int Order, MethodInfo Method)
{
    public bool AppliesTo(ScenarioCase scenario) => Tags.Count == 0 || Tags.Any(scenario.HasTag);
}

/// <summary>A problem found while reading bindings; reported on the steps that it touches, never thrown at load.</summary>
public sealed record BindingError(string Pattern, MethodInfo Method, string Message);

public abstract record StepMatch;
public sealed record MatchFound(StepBinding Binding, IReadOnlyList<string> Arguments) : StepMatch;
public sealed record MatchUndefined(string Snippet, IReadOnlyList<StepBinding> OtherKeywordMatches) : StepMatch;
public sealed record MatchAmbiguous(IReadOnlyList<StepBinding> Candidates) : StepMatch;
public sealed record MatchBroken(BindingError Error) : StepMatch;

/// <summary>Step definitions, hooks and argument transformations found on [Binding] classes.</summary>
public sealed class BindingRegistry
{
    private readonly List<StepBinding> _steps = [];
    private readonly List<HookBinding> _hooks = [];
    private readonly List<BindingError> _errors = [];
    private readonly Dictionary<Type, List<MethodInfo>> _transformations = [];

    public IReadOnlyList<StepBinding> Steps => _steps;
    public IReadOnlyList<HookBinding> Hooks => _hooks;
    public IReadOnlyList<BindingError> Errors => _errors;

    public static BindingRegistry FromAssemblies(params Assembly[] assemblies) =>
        FromTypes(assemblies.SelectMany(SafeTypes));

    public static BindingRegistry FromTypes(IEnumerable<Type> types)
    {
        var registry = new BindingRegistry();
        foreach (var type in types.Where(t => t.GetCustomAttribute<BindingAttribute>() is not null))
            registry.Add(type);
        return registry;
    }

    public IEnumerable<HookBinding> HooksFor(HookKind kind, ScenarioCase? scenario)
    {
        var hooks = _hooks.Where(h => h.Kind == kind && (scenario is null || h.AppliesTo(scenario))).OrderBy(h => h.Order);
        // After-hooks unwind in the reverse order of their before-hooks, so teardown mirrors setup.
        return kind is HookKind.AfterScenario or HookKind.AfterStep or HookKind.AfterTestRun ? hooks.Reverse() : hooks;
    }

    public MethodInfo? TransformationFor(Type target, Type source) =>
        _transformations.TryGetValue(target, out var list)
            ? list.FirstOrDefault(m => m.GetParameters() is [var p] && p.ParameterType == source)
            : null;

    public StepMatch Match(ScenarioStep step)
    {
        var broken = _errors.FirstOrDefault(e => SafeMatches(e.Pattern, step.Text));
        if (broken is not null) return new MatchBroken(broken);

        var matches = new List<(StepBinding Binding, Match Match)>();
        var otherKind = new List<StepBinding>();
        foreach (var binding in _steps)
        {
            var m = binding.Regex.Match(step.Text);
            if (!m.Success) continue;
            if (binding.Kind == StepKind.Any || binding.Kind == step.Kind) matches.Add((binding, m));
            else otherKind.Add(binding);
        }

        return matches.Count switch
        {
            0 => new MatchUndefined(Snippet(step), otherKind),
            1 => new MatchFound(matches[0].Binding,
                matches[0].Match.Groups.Cast<Group>().Skip(1).Where(g => g.Success).Select(g => g.Value).ToList()),
            _ => new MatchAmbiguous(matches.Select(m => m.Binding).ToList()),
        };
    }

    /// <summary>The binding a developer would add for an undefined step.</summary>
    public static string Snippet(ScenarioStep step)
    {
        var (expression, types) = StepPattern.Suggest(step.Text);
        var parameters = types.Select((t, i) => $"{t} p{i}").ToList();
        if (step.Table is not null) parameters.Add("DataTable table");
        if (step.DocString is not null) parameters.Add("string docString");
        var kind = step.Kind == StepKind.Any ? StepKind.Given : step.Kind;
        var name = new StringBuilder(kind.ToString());
        foreach (var word in Regex.Split(expression.Replace("{string}", "").Replace("{int}", "").Replace("{float}", ""), @"[^A-Za-z0-9]+"))
            if (word.Length > 0) name.Append(char.ToUpperInvariant(word[0])).Append(word[1..]);
        return $"[{kind}(\"{expression.Replace("\"", "\\\"")}\")]{Environment.NewLine}" +
               $"public void {name}({string.Join(", ", parameters)}){Environment.NewLine}" +
               $"{{{Environment.NewLine}    throw new PendingStepException();{Environment.NewLine}}}";
    }

    private void Add(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var method in type.GetMethods(flags))
        {
            foreach (var attribute in method.GetCustomAttributes<StepDefinitionBaseAttribute>())
            {
                try
                {
                    _steps.Add(new StepBinding(attribute.Kind, attribute.Pattern, StepPattern.Compile(attribute.Pattern), method));
                }
                catch (ArgumentException e)
                {
                    _errors.Add(new BindingError(attribute.Pattern, method,
                        $"The pattern \"{attribute.Pattern}\" of {type.FullName}.{method.Name} is not a valid regular expression: {e.Message}"));
                }
            }

            if (method.GetCustomAttribute<HookAttribute>() is { } hook)
            {
                if (hook.Kind is HookKind.BeforeTestRun or HookKind.AfterTestRun && !method.IsStatic)
                    _errors.Add(new BindingError("", method, $"[{hook.Kind}] method {type.FullName}.{method.Name} must be static: it runs outside any scenario."));
                else
                    _hooks.Add(new HookBinding(hook.Kind, hook.Tags.Select(t => t.TrimStart('@')).ToList(), hook.Order, method));
            }

            if (method.GetCustomAttribute<StepArgumentTransformationAttribute>() is not null)
            {
                if (!_transformations.TryGetValue(method.ReturnType, out var list))
                    _transformations[method.ReturnType] = list = [];
                list.Add(method);
            }
        }
    }

    private static bool SafeMatches(string pattern, string text)
    {
        // A broken pattern cannot be compiled; treat it as matching steps that contain its literal words, so
        // the error lands on the steps the author meant it for.
        var literal = Regex.Replace(pattern, @"[\\^$.|?*+()\[\]{}]", " ").Trim();
        return literal.Length > 0 && literal.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(w => text.Contains(w, StringComparison.Ordinal));
    }

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); }
    }
}

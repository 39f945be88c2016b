namespace SecDcc.Scenarios;

// Names mirror Reqnroll's so that bindings read the same and could move to it when it can be restored.

/// <summary>Marks a class whose methods are step definitions or hooks.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class BindingAttribute : Attribute;

public enum StepKind { Given, When, Then, Any }

[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public abstract class StepDefinitionBaseAttribute(StepKind kind, string pattern) : Attribute
{
    public StepKind Kind { get; } = kind;

    /// <summary>A regular expression (anchored for you), or a Cucumber expression with {int} {string} {word} {float} {}.</summary>
    public string Pattern { get; } = pattern;
}

public sealed class GivenAttribute(string pattern) : StepDefinitionBaseAttribute(StepKind.Given, pattern);
public sealed class WhenAttribute(string pattern) : StepDefinitionBaseAttribute(StepKind.When, pattern);
public sealed class ThenAttribute(string pattern) : StepDefinitionBaseAttribute(StepKind.Then, pattern);

/// <summary>Matches a step whatever its keyword.</summary>
public sealed class StepDefinitionAttribute(string pattern) : StepDefinitionBaseAttribute(StepKind.Any, pattern);

public enum HookKind { BeforeTestRun, AfterTestRun, BeforeScenario, AfterScenario, BeforeStep, AfterStep }

[AttributeUsage(AttributeTargets.Method)]
public abstract class HookAttribute(HookKind kind, string[] tags) : Attribute
{
    public HookKind Kind { get; } = kind;

    /// <summary>The hook runs only for scenarios that carry at least one of these tags (with or without '@').</summary>
    public IReadOnlyList<string> Tags { get; } = tags;

    /// <summary>Lower runs first for Before hooks; After hooks run in the reverse order.</summary>
    public int Order { get; set; } = 10000;
}

public sealed class BeforeScenarioAttribute(params string[] tags) : HookAttribute(HookKind.BeforeScenario, tags);
public sealed class AfterScenarioAttribute(params string[] tags) : HookAttribute(HookKind.AfterScenario, tags);
public sealed class BeforeStepAttribute(params string[] tags) : HookAttribute(HookKind.BeforeStep, tags);
public sealed class AfterStepAttribute(params string[] tags) : HookAttribute(HookKind.AfterStep, tags);

/// <summary>Static method, run once before the first scenario of the run.</summary>
public sealed class BeforeTestRunAttribute() : HookAttribute(HookKind.BeforeTestRun, []);

/// <summary>Static method, run once after the last scenario of the run.</summary>
public sealed class AfterTestRunAttribute() : HookAttribute(HookKind.AfterTestRun, []);

/// <summary>A method that turns a step argument (a string or a <see cref="DataTable"/>) into its return type.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StepArgumentTransformationAttribute : Attribute;

/// <summary>Thrown by a step for a fault of the bench (a port or device that did not answer), not of the product.</summary>
public class RigFaultException : Exception
{
    public RigFaultException(string message) : base(message) { }
    public RigFaultException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Thrown by a step that is written but knowingly not finished; the scenario is reported as skipped.</summary>
public sealed class PendingStepException(string message = "This step is pending") : Exception(message);

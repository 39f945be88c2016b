using NUnit.Framework;
using SecDcc.Scenarios;

namespace SecDcc.Steps.Support;

/// <summary>The verdict on the last request, event or document a When step gave the DCC.</summary>
[Binding]
public sealed class OutcomeSteps(SmiWorld world)
{
    private const string What = "(?:the request|the communication|the alert|the response|the CPL|the declaration|the direction|the test request|the test result)";

    [Then("^the DCC accepts " + What + "$")]
    public void ThenAccepted()
    {
        var last = LastReply();
        Assert.That(last.Accepted, Is.True, $"The DCC was expected to accept {last.Request}, but it refused it: {last.Refusal}");
    }

    [Then("^the DCC refuses " + What + ",? citing (\\S+)$")]
    public void ThenRefusedCiting(string clause)
    {
        var last = LastReply();
        Assert.That(last.Accepted, Is.False, $"{clause} requires the DCC to refuse {last.Request}, but it accepted it.");
        var refusal = last.Refusal!;
        Assert.That(refusal.Status, Is.InRange(400, 499), $"{clause} requires a refusal; the DCC failed instead with {refusal}");
        Assert.That(Cites(refusal.Clause, clause), Is.True,
            $"The DCC refused {last.Request}, but its refusal cites {refusal.Clause ?? "no clause"} where {clause} is the clause that refuses it: {refusal.Detail}");
    }

    [Then("^the DCC accepts the request and sends the (Commission Device|Join Service|UnJoin Service) command$")]
    public void ThenCommandSent(string command)
    {
        var last = LastReply();
        Assert.That(last.Accepted, Is.True, $"The DCC was expected to accept {last.Request} and send the {command} command, but it refused it: {last.Refusal}");
        var sent = last.Value as CommandRecord;
        Assert.That(sent?.Command, Is.EqualTo(command.Replace(" ", "")), $"The DCC accepted {last.Request} but did not say it sends the {command} command.");
    }

    /// <summary>A refusal cites a clause when it names it or one of its sub-clauses: "AC-4.12(b)" cites AC-4.12.</summary>
    public static bool Cites(string? cited, string expected) =>
        cited is not null && (cited == expected || cited.StartsWith(expected + "(", StringComparison.Ordinal));

    private DccReply<object?> LastReply() =>
        world.Last ?? throw new StepArgumentException("No request was sent yet: a When step must send one before a Then step judges it.");
}

using NUnit.Framework;
using SecDcc.Steps.Support;
using SecDcc.Scenarios;

namespace SecDcc.Steps.Notifications;

/// <summary>AC 2.10, 11.1 and 11.2: who the DCC tells, read from its notification outbox (the DCC User Interface's notices).</summary>
[Binding]
public sealed class NotificationSteps(SmiWorld world)
{
    [Then("^the (Electricity Distributor|Gas Transporter) is notified that the " + P.Device + " is (decommissioned|withdrawn|suspended)$")]
    public async Task ThenOperatorNotified(string operatorName, string label, string what)
    {
        var kind = "SmartMeter" + char.ToUpperInvariant(what[0]) + what[1..];
        var notices = await For(operatorName, label);
        Assert.That(notices.Any(n => n.Kind == kind), Is.True,
            $"AC 11.1 requires the DCC to notify the {operatorName} that the {label} is {what}; its notices about it: {Describe(notices)}");
    }

    [Then("^the (Electricity Distributor|Gas Transporter) is not notified that the " + P.Device + " is (decommissioned|withdrawn|suspended)$")]
    public async Task ThenOperatorNotNotified(string operatorName, string label, string what)
    {
        var notices = await For(operatorName, label);
        Assert.That(notices.Where(n => n.Kind.StartsWith("SmartMeter", StringComparison.Ordinal) || n.Kind == "DeviceSuspended"), Is.Empty,
            $"The {operatorName} should get no notice that the {label} is {what} (AC 11.1 is about Smart Meters); it got: {Describe(notices)}");
    }

    [Then("^the Responsible Supplier is notified that the " + P.Device + " is suspended$")]
    public async Task ThenSupplierNotified(string label)
    {
        var notices = await For("Responsible Supplier", label);
        Assert.That(notices.Any(n => n.Kind == "DeviceSuspended"), Is.True,
            $"AC 11.2 requires the DCC to notify the Responsible Supplier that the {label} is Suspended; its notices about it: {Describe(notices)}");
    }

    [Then("^the Responsible Supplier is not notified of a suspension of the " + P.Device + "$")]
    public async Task ThenSupplierNotNotified(string label)
    {
        var notices = await For("Responsible Supplier", label);
        Assert.That(notices.Where(n => n.Kind == "DeviceSuspended"), Is.Empty, $"The {label} was not Suspended, so no AC 11.2 notice is due; the Responsible Supplier got: {Describe(notices)}");
    }

    [Then("^the (Electricity Distributor|other Electricity Distributor|Gas Transporter) is notified of the correction of the " + P.Device + "'s (?:MPAN|MPRN)$")]
    public async Task ThenCorrectionNotified(string operatorName, string label)
    {
        var notices = await For(operatorName, label);
        var corrected = world.SentMpxns[label + " correction"];
        Assert.That(notices.Any(n => n.Kind == "MpxnCorrected" && n.Data.GetValueOrDefault("mpxns") == string.Join(",", corrected)), Is.True,
            $"AC 2.10 requires the DCC to notify the {operatorName} of the corrected relationship between the {label} and {string.Join(", ", corrected)}; its notices: {Describe(notices)}");
    }

    [Then("^no Electricity Distributor or Gas Transporter is notified of a correction for the " + P.Device + "$")]
    public async Task ThenNoCorrectionNotice(string label)
    {
        foreach (var name in new[] { "Electricity Distributor", "Gas Transporter" })
        {
            var notices = await For(name, label);
            Assert.That(notices.Where(n => n.Kind == "MpxnCorrected"), Is.Empty, $"No correction was made, so the {name} should get no AC 2.10 notice; it got: {Describe(notices)}");
        }
    }

    private async Task<IReadOnlyList<NoticeRecord>> For(string party, string label)
    {
        var id = world.Device(label).Id;
        var notices = await world.Client.NotificationsAsync(world.Party(party).Party, world.Ct);
        return notices.Where(n => n.DeviceId == id).ToList();
    }

    private static string Describe(IReadOnlyList<NoticeRecord> notices) =>
        notices.Count == 0 ? "none" : string.Join(" | ", notices.Select(n => $"{n.Kind} ({n.Clause}): {n.Message}"));
}

using NUnit.Framework;
using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Products;

/// <summary>F2.16: the Deployed Products List, every combination of Device Models that forms a Smart Metering System in the SMI.</summary>
[Binding]
public sealed class DeployedProductsSteps(SmiWorld world)
{
    [Then("^the Deployed Products List lists (\\d+) Smart Metering Systems? of the Device Models of ((?:(?!, with ).)+)$")]
    public Task ThenListed(int systems, string members) => Check(systems, members, null);

    [Then("^the Deployed Products List lists (\\d+) Smart Metering Systems? of the Device Models of (.+), with the (.+) as Type 2 Devices?$")]
    public Task ThenListedWithType2(int systems, string members, string type2) => Check(systems, members, type2);

    [Then("^the Deployed Products List lists no Smart Metering System with the " + P.Device + "'s Device Model$")]
    public async Task ThenNotListed(string label)
    {
        var model = world.Device(label).Model;
        var dpl = await world.Admin.DeployedProductsAsync(world.Ct);
        var rows = dpl.Where(r => r.SystemModels.Contains(model) || r.Type2Models.Contains(model)).ToList();
        Assert.That(rows, Is.Empty, $"No Smart Metering System in the SMI has {model} any more, yet the Deployed Products List shows {rows.Count} row(s) with it.");
    }

    private async Task Check(int systems, string members, string? type2)
    {
        var expected = Labels(members).Select(l => world.Device(l).Model).DistinctBy(m => m.Key).OrderBy(m => m.Key).ToList();
        var expectedType2 = type2 is null ? [] : Labels(type2).Select(l => world.Device(l).Model).DistinctBy(m => m.Key).OrderBy(m => m.Key).ToList();
        var dpl = await world.Admin.DeployedProductsAsync(world.Ct);
        var row = dpl.FirstOrDefault(r => r.SystemModels.OrderBy(m => m.Key).SequenceEqual(expected) && r.Type2Models.OrderBy(m => m.Key).SequenceEqual(expectedType2));
        var mine = dpl.Where(r => r.SystemModels.Any(expected.Contains)).Select(r => $"[{string.Join("; ", r.SystemModels)}] + Type 2 [{string.Join("; ", r.Type2Models)}] × {r.Systems}");
        Assert.That(row, Is.Not.Null, $"F2.16 requires the Deployed Products List to list the combination [{string.Join("; ", expected)}] with Type 2 [{string.Join("; ", expectedType2)}]; rows with these models: {string.Join(" | ", mine)}");
        Assert.That(row!.Systems, Is.EqualTo(systems), "The Deployed Products List should count each Smart Metering System of the combination once.");
    }

    private static IEnumerable<string> Labels(string list) =>
        list.Replace(" and ", ", ").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.StartsWith("the ", StringComparison.Ordinal) ? l[4..] : l);
}

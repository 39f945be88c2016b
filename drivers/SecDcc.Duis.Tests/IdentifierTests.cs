using SecDcc.Duis.Messages;

namespace SecDcc.Duis.Tests;

public class IdentifierTests
{
    [Test]
    public void Eui64_round_trips_in_DUIS_form()
    {
        var eui = Eui64.Parse("90-b3-d5-1f-30-01-00-00");

        Assert.That(eui.Value, Is.EqualTo(0x90B3D51F30010000UL));
        Assert.That(eui.ToString(), Is.EqualTo("90-B3-D5-1F-30-01-00-00"));
        Assert.That(eui.ToCompactHex(), Is.EqualTo("90B3D51F30010000"));
        Assert.That(Eui64.FromBytes(eui.ToBytes()), Is.EqualTo(eui));
    }

    [TestCase("", "empty")]
    [TestCase("90-B3-D5-1F-30-01-00", "23")]
    [TestCase("90:B3-D5-1F-30-01-00-00", "expected '-'")]
    [TestCase("90-B3-D5-1F-30-01-00-0G", "two hex digits")]
    public void Eui64_parse_errors_say_what_is_wrong(string text, string expected)
    {
        Assert.That(Eui64.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(expected));
        Assert.That(() => Eui64.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains(expected));
    }

    [Test]
    public void RequestId_parses_originator_target_and_counter()
    {
        var id = RequestId.Parse("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551615");

        Assert.That(id.Originator, Is.EqualTo(Eui64.Parse("90-B3-D5-1F-30-01-00-00")));
        Assert.That(id.Target, Is.EqualTo(Eui64.Parse("00-DB-12-34-56-78-90-A0")));
        Assert.That(id.Counter, Is.EqualTo(ulong.MaxValue));
        Assert.That(id.ToString(), Is.EqualTo("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551615"));
    }

    [TestCase("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0", "three")]
    [TestCase("90-B3-D5-1F-30-01-00:00-DB-12-34-56-78-90-A0:1", "originator")]
    [TestCase("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90:1", "target")]
    [TestCase("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:-1", "without sign")]
    [TestCase("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:007", "leading zeros")]
    [TestCase("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551616", "unsigned 64-bit")]
    public void RequestId_parse_errors_say_what_is_wrong(string text, string expected)
    {
        Assert.That(RequestId.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(expected));
    }
}

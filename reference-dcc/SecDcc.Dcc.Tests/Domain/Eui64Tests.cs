using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Tests.Domain;

public sealed class Eui64Tests
{
    [TestCase("00-DB-12-34-56-78-90-A1", 0x00DB_1234_5678_90A1UL)]
    [TestCase("00-db-12-34-56-78-90-a1", 0x00DB_1234_5678_90A1UL)]
    [TestCase("FF-FF-FF-FF-FF-FF-FF-FF", ulong.MaxValue)]
    [TestCase("00-00-00-00-00-00-00-00", 0UL)]
    public void Device_id_parses_and_prints_upper_case(string text, ulong value)
    {
        var id = DeviceId.Parse(text);
        Assert.That(id.Value, Is.EqualTo(value));
        Assert.That(id.ToString(), Is.EqualTo(text.ToUpperInvariant()));
    }

    [TestCase("", "missing")]
    [TestCase("00DB1234567890A1", "23 characters")]
    [TestCase("00:DB:12:34:56:78:90:A1", "expected '-'")]
    [TestCase("00-DB-12-34-56-78-90-G1", "octet 8")]
    [TestCase("00-DB-12-34-56-78-90-A1-", "23 characters")]
    [TestCase("+0-DB-12-34-56-78-90-A1", "octet 1")]
    public void Device_id_rejects_bad_input_saying_what_is_wrong(string text, string expected)
    {
        Assert.That(DeviceId.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(expected));
        var e = Assert.Throws<FormatException>(() => DeviceId.Parse(text))!;
        Assert.That(e.Message, Does.Contain("Device ID"));
    }

    [Test]
    public void Party_id_parses_like_a_device_id_and_names_itself_in_errors()
    {
        Assert.That(PartyId.Parse("90-B3-D5-1F-30-01-00-00").ToString(), Is.EqualTo("90-B3-D5-1F-30-01-00-00"));
        Assert.That(PartyId.TryParse("nope", out _, out var error), Is.False);
        Assert.That(error, Does.StartWith("Party ID"));
    }

    [Test]
    public void Type_1_and_type_2_are_data_on_the_device_type()
    {
        Assert.That(Enum.GetValues<DeviceType>().Where(t => t.IsType2()), Is.EquivalentTo(new[] { DeviceType.IHD, DeviceType.CAD }));
        Assert.That(Enum.GetValues<DeviceType>().Where(t => t.IsType1()), Is.EquivalentTo(new[] { DeviceType.PPMID, DeviceType.HCALCS }));
        Assert.That(Enum.GetValues<DeviceType>().Where(t => t.IsSmartMeter()), Is.EquivalentTo(new[] { DeviceType.ESME, DeviceType.GSME }));
    }
}

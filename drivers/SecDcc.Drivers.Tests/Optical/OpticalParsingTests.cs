using SecDcc.Drivers.Optical;

namespace SecDcc.Drivers.Tests.Optical;

/// <summary>The identification message, data lines, baud-rate characters and the BCC.</summary>
[TestFixture]
public sealed class OpticalParsingTests
{
    [TestCase("/ISk5MT174-0001\r\n", "ISk", '5', null, "MT174-0001", 9600, true)]
    [TestCase("/LGZ4ZMD3104407.B32", "LGZ", '4', null, "ZMD3104407.B32", 4800, false)]
    [TestCase("/EMH6\\2eHZ-ADB", "EMH", '6', '2', "eHZ-ADB", 19200, false)]
    [TestCase("/ABC0 x", "ABC", '0', null, " x", 300, false)]
    public void Identification_messages_are_read_into_their_parts(string line, string manufacturer, char z, char? w, string identification, int baud, bool fast)
    {
        var message = IdentificationMessage.Parse(line);

        Assert.Multiple(() =>
        {
            Assert.That(message.ManufacturerCode, Is.EqualTo(manufacturer));
            Assert.That(message.BaudCharacter, Is.EqualTo(z));
            Assert.That(message.EnhancedCapability, Is.EqualTo(w));
            Assert.That(message.Identification, Is.EqualTo(identification));
            Assert.That(message.ModeCBaudRate, Is.EqualTo(baud));
            Assert.That(message.FastReaction, Is.EqualTo(fast));
            Assert.That(message + "\r\n", Does.StartWith(line.TrimEnd('\r', '\n')));
        });
    }

    [TestCase("ISk5MT174", "it must start with '/'")]
    [TestCase("/IS", "it must start with '/'")]
    [TestCase("/I2k5MT174", "the manufacturer code 'I2k' is not three letters")]
    [TestCase("/ISk?MT174", "the baud-rate character '?' is not a digit or letter")]
    [TestCase("/ISk5\r\n", "there is no identification")]
    [TestCase("/ISk5MT!74", "characters the standard does not allow")]
    public void Malformed_identifications_say_what_is_wrong(string line, string why) =>
        Assert.That(() => IdentificationMessage.Parse(line), Throws.InstanceOf<FormatException>().With.Message.Contains(why).And.Message.StartsWith("malformed identification message '"));

    [Test]
    public void Data_lines_give_addresses_values_and_units()
    {
        var sets = DataLines.Parse("F.F(00000000)\r\n1.8.0(001234.567*kWh)\r\n1-0:2.8.0*255(000000.000*kWh)\r\n0.9.1(134502)0.9.2(250131)\r\nC.7.0(0003)(0001)\r\n96.1.1()\r\n!\r\n");

        Assert.Multiple(() =>
        {
            Assert.That(sets.Select(s => s.Address), Is.EqualTo(new[] { "F.F", "1.8.0", "1-0:2.8.0*255", "0.9.1", "0.9.2", "C.7.0", "96.1.1" }));
            Assert.That((sets[1].Value, sets[1].Unit), Is.EqualTo(("001234.567", "kWh")));
            Assert.That(sets[2].Unit, Is.EqualTo("kWh"), "a '*' in the address is not a unit");
            Assert.That(sets[5].Values, Is.EqualTo(new[] { new DataValue("0003", null), new DataValue("0001", null) }));
            Assert.That(sets[6].Value, Is.Empty);
        });
    }

    [Test]
    public void Formatting_and_parsing_round_trip()
    {
        DataSet[] sets = [new("96.1.0", "SDC1"), new("1.8.0", "5.000", "kWh"), new("C.7.0", [new DataValue("3", null), new DataValue("1", null)])];

        var back = DataLines.Parse(DataLines.Format(sets));

        Assert.That(back.Select(s => s.ToString()), Is.EqualTo(sets.Select(s => s.ToString())));
    }

    [TestCase("1.8.0(12\r\n", "line 1 '1.8.0(12': the bracket opened at column 6 is not closed")]
    [TestCase("1.8.0\r\n", "'1.8.0' is not followed by a value in brackets")]
    [TestCase("(12)\r\n", "the first data set has no address")]
    [TestCase("1.8.0(1)\r\n1.8.1(1(2)\r\n", "line 2 '1.8.1(1(2)': the bracket opened at column 6 is not closed before the next one opens")]
    public void Malformed_data_lines_are_quoted_with_their_number(string block, string why) =>
        Assert.That(() => DataLines.Parse(block), Throws.InstanceOf<FormatException>().With.Message.Contains(why));

    [TestCase('0', 300)]
    [TestCase('3', 2400)]
    [TestCase('5', 9600)]
    [TestCase('6', 19200)]
    public void Mode_c_baud_characters_stand_for_their_rates(char z, int baud)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Iec62056.ModeCBaudRate(z), Is.EqualTo(baud));
            Assert.That(Iec62056.ModeCCharacter(baud), Is.EqualTo(z));
        });
    }

    [Test]
    public void Other_characters_are_not_mode_c()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Iec62056.ModeCBaudRate('7'), Is.Null);
            Assert.That(Iec62056.ModeCBaudRate('E'), Is.Null);
            Assert.That(Iec62056.ModeBBaudRate('E'), Is.EqualTo(9600));
            Assert.That(Iec62056.ModeCCharacter(115200), Is.Null);
        });
    }

    [Test]
    public void The_bcc_is_the_xor_of_the_bytes_after_stx_through_etx()
    {
        // '!' 0x21 ^ CR 0x0D ^ LF 0x0A ^ ETX 0x03 = 0x25, worked by hand.
        Assert.That(Iec62056.Bcc("!\r\n\u0003"u8), Is.EqualTo(0x25));
    }

    [Test]
    public void The_option_select_for_a_readout_at_9600_is_ack_0_5_0()
    {
        Assert.That(Iec62056.OptionSelect('5'), Is.EqualTo(new byte[] { 0x06, (byte)'0', (byte)'5', (byte)'0', 0x0D, 0x0A }));
    }

    [TestCase("12345678")]
    [TestCase("")]
    [TestCase("METER 1")]
    public void Device_addresses_of_letters_digits_and_spaces_are_accepted(string address) =>
        Assert.That(() => Iec62056.ValidateAddress(address), Throws.Nothing);

    [TestCase("12!4")]
    [TestCase("123456789012345678901234567890123")]
    public void Other_device_addresses_are_refused(string address) =>
        Assert.That(() => Iec62056.ValidateAddress(address), Throws.ArgumentException.With.Message.Contains("is not valid for IEC 62056-21"));
}

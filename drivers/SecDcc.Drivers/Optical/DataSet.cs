namespace SecDcc.Drivers.Optical;

/// <summary>One value of a data set: the text in brackets, split at the '*' into value and unit.</summary>
public sealed record DataValue(string Value, string? Unit)
{
    public override string ToString() => Unit is null ? $"({Value})" : $"({Value}*{Unit})";
}

/// <summary>
/// A data set of a readout: an address (an OBIS code such as <c>1.8.0</c> or <c>1-0:1.8.0*255</c>, or a
/// manufacturer's own) and one or more values, <c>1.8.0(001234.567*kWh)</c>.
/// </summary>
public sealed record DataSet(string Address, IReadOnlyList<DataValue> Values)
{
    public DataSet(string address, string value, string? unit = null)
        : this(address, [new DataValue(value, unit)])
    {
    }

    /// <summary>The first value.</summary>
    public string Value => Values[0].Value;

    /// <summary>The first value's unit, or null.</summary>
    public string? Unit => Values[0].Unit;

    public override string ToString() => Address + string.Concat(Values);
}

/// <summary>Parses the data lines of a data block (the text between STX and the final <c>!</c>).</summary>
public static class DataLines
{
    /// <summary>Reads every data set of every line. A line may hold several data sets, and a data set several bracketed values.</summary>
    /// <exception cref="FormatException">A line is not data sets; the message quotes the line and says where it goes wrong.</exception>
    public static IReadOnlyList<DataSet> Parse(string block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var sets = new List<DataSet>();
        var number = 0;
        foreach (var raw in block.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line == "!")
            {
                continue;
            }

            ParseLine(line, number, sets);
        }

        return sets;
    }

    /// <summary>The text of a data block for <paramref name="sets"/>: one data set a line, each ended by CR LF, then <c>!</c> CR LF.</summary>
    public static string Format(IEnumerable<DataSet> sets) =>
        string.Concat(sets.Select(s => s + "\r\n")) + "!\r\n";

    private static void ParseLine(string line, int number, List<DataSet> sets)
    {
        var i = 0;
        while (i < line.Length)
        {
            var open = line.IndexOf('(', i);
            if (open < 0)
            {
                throw Malformed(line, number, $"'{line[i..]}' is not followed by a value in brackets");
            }

            var address = line[i..open];
            if (address.Length == 0 && sets.Count == 0)
            {
                throw Malformed(line, number, "the first data set has no address");
            }

            if (address.Any(c => c is '(' or ')' or '/' or '!' or < ' '))
            {
                throw Malformed(line, number, $"the address '{address}' has characters an address cannot have");
            }

            var values = new List<DataValue>();
            i = open;
            while (i < line.Length && line[i] == '(')
            {
                var close = line.IndexOf(')', i + 1);
                if (close < 0)
                {
                    throw Malformed(line, number, $"the bracket opened at column {i + 1} is not closed");
                }

                var inside = line[(i + 1)..close];
                if (inside.Contains('('))
                {
                    throw Malformed(line, number, $"the bracket opened at column {i + 1} is not closed before the next one opens");
                }

                var star = inside.IndexOf('*');
                values.Add(star < 0 ? new DataValue(inside, null) : new DataValue(inside[..star], inside[(star + 1)..]));
                i = close + 1;
            }

            // A data set without an address continues the previous one's values (some meters write 0.9.1(x)(y)).
            if (address.Length == 0)
            {
                var previous = sets[^1];
                sets[^1] = previous with { Values = [.. previous.Values, .. values] };
            }
            else
            {
                sets.Add(new DataSet(address, values));
            }
        }
    }

    private static FormatException Malformed(string line, int number, string why) =>
        new($"malformed data line {number} {IdentificationMessage.Quote(line)}: {why}");
}

namespace SecDcc.Drivers.Link;

/// <summary>CRC-16/X.25 (the HDLC FCS-16): reflected polynomial 0x1021, initial 0xFFFF, final XOR 0xFFFF.</summary>
/// <remarks>The check value, over the ASCII bytes "123456789", is 0x906E. It goes on the wire low byte first.</remarks>
public static class Crc16X25
{
    private static readonly ushort[] Table = BuildTable();

    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (var b in data)
        {
            crc = (ushort)((crc >> 8) ^ Table[(crc ^ b) & 0xFF]);
        }

        return (ushort)(crc ^ 0xFFFF);
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (ushort)i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0x8408) : (ushort)(crc >> 1);
            }

            table[i] = crc;
        }

        return table;
    }
}

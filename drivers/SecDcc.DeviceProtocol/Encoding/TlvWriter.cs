using System.Buffers;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Encoding;

/// <summary>Writes the fields of a message: tag (1 byte), length (LEB128), value. See <see cref="DeviceMessageCodec"/>.</summary>
public sealed class TlvWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public void WriteRawByte(byte value) => _buffer.Write([value]);

    public void WriteBytes(byte tag, ReadOnlySpan<byte> value)
    {
        WriteHeader(tag, value.Length);
        _buffer.Write(value);
    }

    public void WriteString(byte tag, string value) => WriteBytes(tag, System.Text.Encoding.UTF8.GetBytes(value));

    public void WriteOptionalString(byte tag, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            WriteString(tag, value);
        }
    }

    public void WriteUInt(byte tag, ulong value)
    {
        Span<byte> scratch = stackalloc byte[10];
        WriteBytes(tag, scratch[..Leb128.Write(scratch, value)]);
    }

    public void WriteBool(byte tag, bool value) => WriteBytes(tag, [value ? (byte)1 : (byte)0]);

    public void WriteEui(byte tag, Eui64 value)
    {
        Span<byte> bytes = stackalloc byte[Eui64.Length];
        value.Write(bytes);
        WriteBytes(tag, bytes);
    }

    /// <summary>A field whose value is itself a sequence of fields.</summary>
    public void WriteNested(byte tag, Action<TlvWriter> write)
    {
        var inner = new TlvWriter();
        write(inner);
        WriteBytes(tag, inner.WrittenSpan);
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void WriteHeader(byte tag, int length)
    {
        if (tag == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tag), "tag 0 is reserved; field tags run from 1 to 255");
        }

        Span<byte> header = stackalloc byte[11];
        header[0] = tag;
        var n = Leb128.Write(header[1..], (ulong)length);
        _buffer.Write(header[..(1 + n)]);
    }
}

/// <summary>Unsigned LEB128: seven bits a byte, low group first, high bit set on every byte but the last.</summary>
internal static class Leb128
{
    public static int Write(Span<byte> destination, ulong value)
    {
        var i = 0;
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            destination[i++] = value == 0 ? b : (byte)(b | 0x80);
        }
        while (value != 0);
        return i;
    }

    /// <returns>Bytes consumed, or 0 when the input ends inside the number or it does not fit 64 bits.</returns>
    public static int TryRead(ReadOnlySpan<byte> source, out ulong value)
    {
        value = 0;
        for (var i = 0; i < source.Length && i < 10; i++)
        {
            var b = source[i];
            if (i == 9 && b > 1)
            {
                return 0;
            }

            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                // A non-minimal encoding (a trailing 0x00 group) would give one value two spellings, which a
                // signed message must not have.
                return i > 0 && b == 0 ? 0 : i + 1;
            }
        }

        return 0;
    }
}

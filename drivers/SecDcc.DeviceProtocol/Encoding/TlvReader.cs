using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Encoding;

/// <summary>
/// Reads the fields of one message (or one nested field) and checks them: sizes, required fields, duplicates,
/// and unknown tags. Every problem is a <see cref="DeviceMessageFormatException"/> naming the field and offset.
/// </summary>
public sealed class TlvReader
{
    /// <summary>Tags from here up are extensions an older receiver may skip; tags below must be understood.</summary>
    public const byte FirstOptionalTag = 0x80;

    private readonly List<Field> _fields = [];
    private readonly HashSet<int> _consumed = [];
    private readonly ushort _messageType;
    private readonly string _context;
    private readonly int _end;

    internal TlvReader(ReadOnlyMemory<byte> data, int baseOffset, ushort messageType, string context)
    {
        _messageType = messageType;
        _context = context;
        _end = baseOffset + data.Length;
        var span = data.Span;
        var at = 0;
        while (at < span.Length)
        {
            var tag = span[at];
            if (tag == 0)
            {
                throw Error(DecodeError.BadValue, baseOffset + at, "tag 0 is reserved; the payload is corrupt or not a device message");
            }

            var n = Leb128.TryRead(span[(at + 1)..], out var length);
            if (n == 0)
            {
                throw Error(DecodeError.Truncated, baseOffset + at, $"field {tag}: its length runs past the end of the payload");
            }

            var valueAt = at + 1 + n;
            if (length > (ulong)(span.Length - valueAt))
            {
                throw Error(
                    DecodeError.Truncated,
                    baseOffset + at,
                    $"field {tag}: a value of {length} bytes runs past the end of the payload ({span.Length - valueAt} left)");
            }

            _fields.Add(new Field(tag, data.Slice(valueAt, (int)length), baseOffset + valueAt));
            at = valueAt + (int)length;
        }
    }

    public string Context => _context;

    public ReadOnlyMemory<byte> RequiredBytes(byte tag, string name) => Single(tag, name, required: true)!.Value.Value;

    public ReadOnlyMemory<byte>? OptionalBytes(byte tag, string name) => Single(tag, name, required: false)?.Value;

    public string RequiredString(byte tag, string name) => AsString(Single(tag, name, required: true)!.Value, name);

    public string? OptionalString(byte tag, string name) => Single(tag, name, required: false) is { } f ? AsString(f, name) : null;

    public ulong RequiredUInt(byte tag, string name) => AsUInt(Single(tag, name, required: true)!.Value, name);

    public ulong? OptionalUInt(byte tag, string name) => Single(tag, name, required: false) is { } f ? AsUInt(f, name) : null;

    public uint RequiredUInt32(byte tag, string name)
    {
        var f = Single(tag, name, required: true)!.Value;
        var value = AsUInt(f, name);
        return value <= uint.MaxValue
            ? (uint)value
            : throw Error(DecodeError.BadValue, f.Offset, $"field {tag} ({name}): {value} does not fit 32 bits");
    }

    public bool RequiredBool(byte tag, string name)
    {
        var f = Single(tag, name, required: true)!.Value;
        return f.Value.Length == 1 && f.Value.Span[0] <= 1
            ? f.Value.Span[0] == 1
            : throw Error(DecodeError.BadValue, f.Offset, $"field {tag} ({name}): a boolean is one byte, 0 or 1");
    }

    public Eui64 RequiredEui(byte tag, string name) => AsEui(Single(tag, name, required: true)!.Value, name);

    public Eui64? OptionalEui(byte tag, string name) => Single(tag, name, required: false) is { } f ? AsEui(f, name) : null;

    /// <summary>An enum field whose value must be one of the defined members.</summary>
    public T RequiredEnum<T>(byte tag, string name)
        where T : struct, Enum
    {
        var f = Single(tag, name, required: true)!.Value;
        var raw = AsUInt(f, name);
        var value = (T)Enum.ToObject(typeof(T), raw);
        return raw <= int.MaxValue && Enum.IsDefined(value)
            ? value
            : throw Error(DecodeError.BadValue, f.Offset, $"field {tag} ({name}): {raw} is not a {typeof(T).Name} (expected one of {string.Join(", ", Enum.GetNames<T>())})");
    }

    public TlvReader RequiredNested(byte tag, string name)
    {
        var f = Single(tag, name, required: true)!.Value;
        return new TlvReader(f.Value, f.Offset, _messageType, $"{_context}.{name}");
    }

    /// <summary>Every occurrence of a repeated field, in order.</summary>
    public IEnumerable<TlvReader> RepeatedNested(byte tag, string name) =>
        Repeated(tag).Select(f => new TlvReader(f.Value, f.Offset, _messageType, $"{_context}.{name}"));

    public IEnumerable<Eui64> RepeatedEui(byte tag, string name) => Repeated(tag).Select(f => AsEui(f, name));

    public IEnumerable<string> RepeatedString(byte tag, string name) => Repeated(tag).Select(f => AsString(f, name));

    public IEnumerable<ReadOnlyMemory<byte>> RepeatedBytes(byte tag) => Repeated(tag).Select(f => f.Value);

    /// <summary>Fails on a field below <see cref="FirstOptionalTag"/> that no accessor asked for.</summary>
    public void Finish()
    {
        for (var i = 0; i < _fields.Count; i++)
        {
            if (!_consumed.Contains(i) && _fields[i].Tag < FirstOptionalTag)
            {
                throw Error(
                    DecodeError.UnknownField,
                    _fields[i].Offset,
                    $"field {_fields[i].Tag} is not one this end knows and is marked must-understand (tags below {FirstOptionalTag}); the sender speaks a newer protocol");
            }
        }
    }

    internal DeviceMessageFormatException Error(DecodeError error, int offset, string detail) =>
        new(error, _messageType, offset, $"cannot decode {_context} at byte {offset}: {detail}");

    private Field? Single(byte tag, string name, bool required)
    {
        Field? found = null;
        for (var i = 0; i < _fields.Count; i++)
        {
            if (_fields[i].Tag != tag)
            {
                continue;
            }

            if (found is not null)
            {
                throw Error(DecodeError.DuplicateField, _fields[i].Offset, $"field {tag} ({name}) appears more than once");
            }

            found = _fields[i];
            _consumed.Add(i);
        }

        if (found is null && required)
        {
            throw Error(DecodeError.MissingField, _end, $"required field {tag} ({name}) is missing");
        }

        return found;
    }

    private IEnumerable<Field> Repeated(byte tag)
    {
        var matches = new List<Field>();
        for (var i = 0; i < _fields.Count; i++)
        {
            if (_fields[i].Tag == tag)
            {
                _consumed.Add(i);
                matches.Add(_fields[i]);
            }
        }

        return matches;
    }

    private string AsString(Field f, string name)
    {
        try
        {
            return StrictUtf8.GetString(f.Value.Span);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw Error(DecodeError.BadValue, f.Offset, $"field {f.Tag} ({name}) is not valid UTF-8");
        }
    }

    private ulong AsUInt(Field f, string name)
    {
        var n = Leb128.TryRead(f.Value.Span, out var value);
        return n != 0 && n == f.Value.Length
            ? value
            : throw Error(DecodeError.BadValue, f.Offset, $"field {f.Tag} ({name}) is not one minimal LEB128 number");
    }

    private Eui64 AsEui(Field f, string name) =>
        f.Value.Length == Eui64.Length
            ? Eui64.Read(f.Value.Span)
            : throw Error(DecodeError.BadValue, f.Offset, $"field {f.Tag} ({name}) is {f.Value.Length} bytes; an EUI-64 is {Eui64.Length}");

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly record struct Field(byte Tag, ReadOnlyMemory<byte> Value, int Offset);
}

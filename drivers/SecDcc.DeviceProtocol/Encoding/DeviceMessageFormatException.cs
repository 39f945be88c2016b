namespace SecDcc.DeviceProtocol.Encoding;

/// <summary>What was wrong with a message payload that could not be decoded.</summary>
public enum DecodeError
{
    /// <summary>The payload is empty, or a field runs past its end.</summary>
    Truncated,

    /// <summary>The payload's version byte is one this end does not speak.</summary>
    UnsupportedVersion,

    /// <summary>The frame's message type is not one of the protocol's.</summary>
    UnknownMessageType,

    /// <summary>A field every sender must include is absent.</summary>
    MissingField,

    /// <summary>A field appears twice where only one is allowed.</summary>
    DuplicateField,

    /// <summary>A field's value has the wrong size or an impossible value.</summary>
    BadValue,

    /// <summary>A field this end must understand (tag below 128) is not one it knows.</summary>
    UnknownField,
}

/// <summary>A device message payload could not be decoded. The message names the message, the byte offset and the field.</summary>
public sealed class DeviceMessageFormatException : FormatException
{
    public DeviceMessageFormatException(DecodeError error, ushort messageType, int offset, string message)
        : base(message)
    {
        Error = error;
        MessageType = messageType;
        Offset = offset;
    }

    public DecodeError Error { get; }

    public ushort MessageType { get; }

    /// <summary>Byte offset in the payload where decoding stopped.</summary>
    public int Offset { get; }
}

namespace SecDcc.Duis;

/// <summary>Why a DUIS document, signature or message was refused.</summary>
public enum DuisFailure
{
    /// <summary>The text is not well-formed XML.</summary>
    NotWellFormed,
    /// <summary>The document has a DOCTYPE; DUIS documents never do, and DTDs enable entity-expansion attacks.</summary>
    DtdPresent,
    /// <summary>The document is larger than the configured limit.</summary>
    TooLarge,
    /// <summary>The root element is not the expected DUIS element in the ServiceUserGateway namespace.</summary>
    WrongRoot,
    /// <summary>No ds:Signature element.</summary>
    NoSignature,
    /// <summary>More than one ds:Signature element anywhere in the document.</summary>
    MultipleSignatures,
    /// <summary>The ds:Signature element is not the last child element of the root.</summary>
    SignatureNotLast,
    /// <summary>SignedInfo does not have exactly one Reference with URI="" (the whole document).</summary>
    ReferenceNotWholeDocument,
    /// <summary>A transform other than enveloped-signature (optionally followed by exclusive c14n).</summary>
    DisallowedTransform,
    /// <summary>A canonicalisation, signature or digest algorithm other than the DUIS ones.</summary>
    UnsupportedAlgorithm,
    /// <summary>KeyInfo is missing or has no usable X509IssuerSerial.</summary>
    MissingSignerIdentity,
    /// <summary>No registered certificate matches the signature's issuer and serial number.</summary>
    UnknownSigner,
    /// <summary>The document's digest does not match the Reference's DigestValue: the content was changed after signing.</summary>
    DigestMismatch,
    /// <summary>The signature value does not verify against the signer's public key.</summary>
    BadSignatureValue,
    /// <summary>The signature element itself is malformed (missing SignedInfo, SignatureValue, …).</summary>
    MalformedSignature,
    /// <summary>An element the schema requires is missing, or one it does not allow is present.</summary>
    SchemaViolation,
    /// <summary>A value does not have the form the schema gives it.</summary>
    InvalidValue,
}

/// <summary>A DUIS document, signature or message was refused; <see cref="Failure"/> says why in machine form.</summary>
public class DuisException : Exception
{
    public DuisException(DuisFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public DuisFailure Failure { get; }
}

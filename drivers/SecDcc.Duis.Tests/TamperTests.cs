using System.Text.RegularExpressions;
using SecDcc.Duis.Keys;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using SecDcc.Duis.Tests.Support;

namespace SecDcc.Duis.Tests;

/// <summary>Every way of spoiling a signed request is refused, and for the right reason.</summary>
public class TamperTests
{
    private DuisSigningCredentials _supplier = null!;
    private DuisSignatureVerifier _verifier = null!;
    private string _signed = null!;

    [OneTimeSetUp]
    public void Sign()
    {
        _supplier = TestCertificates.CreateXmlSigning(Zaz1Parties.Supplier);
        _verifier = new DuisSignatureVerifier(new InMemoryCertificateResolver([_supplier.Certificate]));
        var request = DuisRequest.Create(new RequestId(Zaz1Parties.Supplier, SampleRequests.Esme, 7),
            new UpdateHanDeviceLog(SampleRequests.Esme, HanDeviceLogRequestType.Add, new ChfWhitelistEntry(60, [1, 2, 3, 4, 5, 6, 7, 8])));
        _signed = DuisSigner.Sign(request.ToXml(), _supplier);
    }

    [OneTimeTearDown]
    public void Dispose() => _supplier.Dispose();

    [Test]
    public async Task The_untampered_document_verifies()
    {
        var result = await _verifier.VerifyAsync(_signed, CancellationToken.None);
        Assert.That(result.IsValid, Is.True, result.Reason);
    }

    [Test]
    public async Task A_signature_value_that_is_not_base64_is_a_malformed_signature_not_an_exception()
    {
        var tampered = Regex.Replace(_signed, "<SignatureValue>[^<]*</SignatureValue>", "<SignatureValue>!!not base64!!</SignatureValue>");
        Assert.That(tampered, Is.Not.EqualTo(_signed));
        var result = await _verifier.VerifyAsync(tampered, CancellationToken.None);
        Assert.That(result.Failure, Is.EqualTo(DuisFailure.MalformedSignature), result.Reason);
    }

    [TestCaseSource(typeof(Tampers), nameof(Tampers.Cases))]
    public async Task A_tampered_document_is_refused_with_the_right_reason(Tampers.Tamper tamper)
    {
        var tampered = tamper.Apply(_signed);
        Assert.That(tampered, Is.Not.EqualTo(_signed), "the tamper changed something");

        var result = await _verifier.VerifyAsync(tampered, CancellationToken.None);

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Failure, Is.EqualTo(tamper.Expected), result.Reason);
        Assert.That(result.Reason, Is.Not.Empty);
        Assert.That(() => result.ThrowIfInvalid(), Throws.TypeOf<DuisException>().With.Property(nameof(DuisException.Failure)).EqualTo(tamper.Expected));
    }

    [Test]
    public async Task Pretty_printing_after_signing_breaks_the_digest()
    {
        var pretty = _signed.Replace("><sr:", ">\n  <sr:", StringComparison.Ordinal);
        var result = await _verifier.VerifyAsync(pretty, CancellationToken.None);
        Assert.That(result.Failure, Is.EqualTo(DuisFailure.DigestMismatch));
        Assert.That(result.Reason, Does.Contain("re-indented"));
    }

    [Test]
    public async Task Whitespace_after_the_signature_is_not_wrapping()
    {
        var result = await _verifier.VerifyAsync(_signed.Replace("</sr:Request>", "\n</sr:Request>", StringComparison.Ordinal), CancellationToken.None);
        Assert.That(result.Failure, Is.EqualTo(DuisFailure.DigestMismatch), "the whitespace is content and counts in the digest, but it is not refused as wrapping");
    }

    [Test]
    public void A_resolver_sees_the_callers_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.That(async () => await _verifier.VerifyAsync(_signed, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}

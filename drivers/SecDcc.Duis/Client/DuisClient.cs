using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using SecDcc.Duis.Xml;

namespace SecDcc.Duis.Client;

public sealed record DuisClientOptions
{
    /// <summary>The DCC's base address, e.g. http://localhost:8079/.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>The DCC Boxed path for Service Requests.</summary>
    public string ServicePath { get; init; } = "api/v1/serviceS";

    /// <summary>How long one exchange may take, on top of the caller's own cancellation.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Refuse unsigned responses (the DCC signs its responses).</summary>
    public bool RequireSignedResponse { get; init; } = true;

    public DuisXmlLoadOptions LoadOptions { get; init; } = DuisXmlLoadOptions.Default;
}

public enum DuisClientFailure
{
    /// <summary>The DCC answered with an HTTP error status.</summary>
    HttpStatus,
    /// <summary>The DCC did not answer within the timeout.</summary>
    Timeout,
    /// <summary>The connection failed.</summary>
    Transport,
    /// <summary>The answer is not XML (or not safe XML: DTD, too large).</summary>
    NotXml,
    /// <summary>The answer is XML but not a DUIS Response.</summary>
    NotAResponse,
    /// <summary>The answer is not signed.</summary>
    Unsigned,
    /// <summary>The answer's signature did not verify against the DCC's certificate.</summary>
    BadSignature,
}

/// <summary>A DUIS exchange failed; <see cref="Failure"/> says where.</summary>
public sealed class DuisClientException : Exception
{
    public DuisClientException(DuisClientFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public DuisClientFailure Failure { get; }
    public HttpStatusCode? StatusCode { get; init; }
    public DuisFailure? DocumentFailure { get; init; }
    public string? ResponseText { get; init; }
}

/// <summary>Everything one exchange produced, for the evidence of a test step.</summary>
public sealed record DuisExchange(
    string SignedRequestXml,
    string ResponseXml,
    DuisResponse Response,
    DuisVerification? ResponseVerification);

/// <summary>
/// Sends DUIS Service Requests to a DCC: signs with the user's key, POSTs application/xml to
/// {base}/api/v1/serviceS, verifies the DCC's signature on the answer and parses it. Does not own the
/// HttpClient or the credentials.
/// </summary>
public sealed class DuisClient
{
    private readonly HttpClient _http;
    private readonly DuisSigningCredentials _credentials;
    private readonly DuisSignatureVerifier _verifier;
    private readonly DuisClientOptions _options;

    public DuisClient(HttpClient http, DuisSigningCredentials credentials, IDuisCertificateResolver dccCertificates, DuisClientOptions options)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _verifier = new DuisSignatureVerifier(dccCertificates ?? throw new ArgumentNullException(nameof(dccCertificates)), options.LoadOptions);
    }

    public Uri ServiceUri => new(_options.BaseAddress, _options.ServicePath);

    /// <summary>Builds the XML, signs it and sends it.</summary>
    public Task<DuisExchange> SendAsync(DuisRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var signed = DuisSigner.Sign(request.ToXml(), _credentials, _options.LoadOptions);
        return SendSignedAsync(signed, cancellationToken);
    }

    /// <summary>Sends XML as it is (tests use this to send tampered or unsigned requests).</summary>
    public async Task<DuisExchange> SendSignedAsync(string signedRequestXml, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        byte[] body;
        HttpStatusCode status;
        try
        {
            using var content = new StringContent(signedRequestXml, new UTF8Encoding(false));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/xml") { CharSet = "utf-8" };
            using var response = await _http.PostAsync(ServiceUri, content, timeout.Token).ConfigureAwait(false);
            status = response.StatusCode;
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            body = await DuisXmlLoader.ReadLimitedAsync(stream, _options.LoadOptions.MaxBytes, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DuisClientException(DuisClientFailure.Timeout,
                $"The DCC at {ServiceUri} did not answer within {_options.Timeout.TotalSeconds:F0} s; check that it is running and reachable, or raise DuisClientOptions.Timeout.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DuisClientException(DuisClientFailure.Transport, $"Could not reach the DCC at {ServiceUri}: {ex.Message}", ex);
        }
        catch (DuisException ex)
        {
            throw new DuisClientException(DuisClientFailure.NotXml, $"The DCC's answer was refused: {ex.Message}", ex) { DocumentFailure = ex.Failure };
        }

        var text = Encoding.UTF8.GetString(body);
        if ((int)status is < 200 or > 299)
        {
            throw new DuisClientException(DuisClientFailure.HttpStatus,
                $"The DCC at {ServiceUri} answered HTTP {(int)status} {status}: {Excerpt(text)}")
            { StatusCode = status, ResponseText = text };
        }

        XmlDocument document;
        try
        {
            document = DuisXmlLoader.Load(body, _options.LoadOptions);
            DuisXmlLoader.RequireRoot(document, "Response");
        }
        catch (DuisException ex)
        {
            var failure = ex.Failure == DuisFailure.WrongRoot ? DuisClientFailure.NotAResponse : DuisClientFailure.NotXml;
            throw new DuisClientException(failure, $"The DCC's answer is not a DUIS Response: {ex.Message} Received: {Excerpt(text)}", ex)
            { StatusCode = status, ResponseText = text, DocumentFailure = ex.Failure };
        }

        DuisVerification? verification = null;
        var signed = document.GetElementsByTagName("Signature", DuisNames.XmlDsigNamespace).Count > 0;
        if (signed || _options.RequireSignedResponse)
        {
            verification = await _verifier.VerifyAsync(document, cancellationToken).ConfigureAwait(false);
            if (!verification.IsValid)
            {
                throw new DuisClientException(
                    verification.Failure == DuisFailure.NoSignature ? DuisClientFailure.Unsigned : DuisClientFailure.BadSignature,
                    $"The DCC's answer failed signature verification: {verification.Reason}")
                { StatusCode = status, ResponseText = text, DocumentFailure = verification.Failure };
            }
        }

        DuisResponse parsed;
        try
        {
            parsed = DuisResponse.Parse(document);
        }
        catch (DuisException ex)
        {
            throw new DuisClientException(DuisClientFailure.NotAResponse, $"The DCC's Response could not be read: {ex.Message}", ex)
            { StatusCode = status, ResponseText = text, DocumentFailure = ex.Failure };
        }
        return new DuisExchange(signedRequestXml, text, parsed, verification);
    }

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

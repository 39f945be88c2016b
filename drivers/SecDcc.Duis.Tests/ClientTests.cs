using System.Net;
using System.Net.Sockets;
using System.Text;
using SecDcc.Duis.Client;
using SecDcc.Duis.Keys;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using SecDcc.Duis.Tests.Support;

namespace SecDcc.Duis.Tests;

public class ClientTests
{
    private DuisSigningCredentials _supplier = null!;
    private DuisSigningCredentials _dcc = null!;
    private DuisSigningCredentials _impostor = null!;

    [OneTimeSetUp]
    public void CreateParties()
    {
        _supplier = TestCertificates.CreateXmlSigning(Zaz1Parties.Supplier);
        _dcc = TestCertificates.CreateXmlSigning(Zaz1Parties.Dcc, "89");
        _impostor = TestCertificates.CreateXmlSigning(Zaz1Parties.Dcc, "89");
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _supplier.Dispose();
        _dcc.Dispose();
        _impostor.Dispose();
    }

    private static DuisRequest ReadInventoryRequest() =>
        DuisRequest.Create(new RequestId(Zaz1Parties.Supplier, Zaz1Parties.Dcc, 42), ReadInventory.ByDeviceId(SampleRequests.Esme));

    /// <summary>A DCC in a handler: checks the request's signature, answers 8.2 with a signed inventory.</summary>
    private Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Dcc(DuisSigningCredentials signer, bool sign = true) => async (message, token) =>
    {
        Assert.That(message.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(message.RequestUri!.AbsolutePath, Is.EqualTo("/api/v1/serviceS"));
        Assert.That(message.Content!.Headers.ContentType!.MediaType, Is.EqualTo("application/xml"));
        var body = await message.Content.ReadAsStringAsync(token);
        var verification = await new DuisSignatureVerifier(new InMemoryCertificateResolver([_supplier.Certificate])).VerifyAsync(body, token);
        Assert.That(verification.IsValid, Is.True, verification.Reason);
        var request = DuisRequest.Parse(verification.Document!);
        var response = DuisResponses.Success(request.Header, DateTimeOffset.UtcNow,
            new DspInventory([new InventoryDevice(SampleRequests.Esme, DeviceType.Esme, "AB01", "010A030B", DeviceStatus.Pending)]),
            diagnostic: "AC 2.4: inventory read");
        var xml = sign ? DuisSigner.Sign(response.ToXml(), signer) : response.ToXml();
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(xml, Encoding.UTF8, "application/xml") };
    };

    private DuisClient Client(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> handler, TimeSpan? timeout = null, HttpClient? http = null) =>
        new(http ?? new HttpClient(new DelegateHandler(handler)), _supplier, new InMemoryCertificateResolver([_dcc.Certificate]),
            new DuisClientOptions { BaseAddress = new Uri("http://dcc.test/"), Timeout = timeout ?? TimeSpan.FromSeconds(10) });

    [Test]
    public async Task A_request_is_signed_sent_and_the_signed_answer_verified_and_parsed()
    {
        var exchange = await Client(Dcc(_dcc)).SendAsync(ReadInventoryRequest(), CancellationToken.None);

        Assert.That(exchange.ResponseVerification!.IsValid, Is.True);
        Assert.That(exchange.ResponseVerification.Signer, Is.SameAs(_dcc.Certificate));
        Assert.That(exchange.Response.ResponseCode.IsSuccess, Is.True);
        Assert.That(exchange.Response.RequestId!.Value.Counter, Is.EqualTo(42UL));
        Assert.That(((DspInventory)exchange.Response.Message!.Payload!).Devices.Single().DeviceStatus, Is.EqualTo(DeviceStatus.Pending));
        Assert.That(exchange.Response.Diagnostic, Is.EqualTo("AC 2.4: inventory read"));
        Assert.That(exchange.SignedRequestXml, Does.Contain("X509IssuerSerial"));
    }

    [Test]
    public void An_unsigned_answer_is_refused()
    {
        var ex = Assert.ThrowsAsync<DuisClientException>(() => Client(Dcc(_dcc, sign: false)).SendAsync(ReadInventoryRequest(), CancellationToken.None));
        Assert.That(ex!.Failure, Is.EqualTo(DuisClientFailure.Unsigned));
        Assert.That(ex.ResponseText, Does.Contain("Response"));
    }

    [Test]
    public void An_answer_signed_by_someone_else_is_refused()
    {
        var ex = Assert.ThrowsAsync<DuisClientException>(() => Client(Dcc(_impostor)).SendAsync(ReadInventoryRequest(), CancellationToken.None));
        Assert.That(ex!.Failure, Is.EqualTo(DuisClientFailure.BadSignature));
        Assert.That(ex.DocumentFailure, Is.EqualTo(DuisFailure.UnknownSigner));
    }

    [Test]
    public void An_HTTP_error_carries_status_and_body()
    {
        var client = Client((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("schema validation failed") }));
        var ex = Assert.ThrowsAsync<DuisClientException>(() => client.SendAsync(ReadInventoryRequest(), CancellationToken.None));
        Assert.That(ex!.Failure, Is.EqualTo(DuisClientFailure.HttpStatus));
        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(ex.Message, Does.Contain("400").And.Contain("schema validation failed"));
    }

    [TestCase("this is not xml", DuisClientFailure.NotXml)]
    [TestCase("<html><body>proxy error</body></html>", DuisClientFailure.NotAResponse)]
    [TestCase("<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>", DuisClientFailure.NotXml)]
    public void An_answer_that_is_not_a_DUIS_response_is_refused(string body, DuisClientFailure expected)
    {
        var client = Client((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) }));
        var ex = Assert.ThrowsAsync<DuisClientException>(() => client.SendAsync(ReadInventoryRequest(), CancellationToken.None));
        Assert.That(ex!.Failure, Is.EqualTo(expected));
    }

    [Test]
    public void A_DCC_that_never_answers_times_out_with_a_clear_error()
    {
        var client = Client(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }, timeout: TimeSpan.FromMilliseconds(200));

        var ex = Assert.ThrowsAsync<DuisClientException>(() => client.SendAsync(ReadInventoryRequest(), CancellationToken.None));
        Assert.That(ex!.Failure, Is.EqualTo(DuisClientFailure.Timeout));
        Assert.That(ex.Message, Does.Contain("did not answer"));
    }

    [Test]
    public void The_callers_cancellation_is_not_reported_as_a_timeout()
    {
        using var cancel = new CancellationTokenSource();
        var client = Client(async (_, token) =>
        {
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        Assert.That(async () => await client.SendAsync(ReadInventoryRequest(), cancel.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void A_refused_connection_is_a_transport_error()
    {
        var port = FreePort();
        var client = new DuisClient(new HttpClient(), _supplier, new InMemoryCertificateResolver([_dcc.Certificate]),
            new DuisClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/") });
        var ex = Assert.ThrowsAsync<DuisClientException>(() => client.SendAsync(ReadInventoryRequest(), CancellationToken.None));
        Assert.That(ex!.Failure, Is.EqualTo(DuisClientFailure.Transport));
        Assert.That(ex.Message, Does.Contain($"127.0.0.1:{port}"));
    }

    [Test]
    public async Task Works_over_a_real_loopback_HTTP_connection()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var dcc = Dcc(_dcc);
        var serve = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var message = new HttpRequestMessage(HttpMethod.Post, context.Request.Url) { Content = new StringContent(await reader.ReadToEndAsync(), Encoding.UTF8, "application/xml") };
            message.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(context.Request.ContentType!);
            using var answer = await dcc(message, CancellationToken.None);
            var bytes = await answer.Content.ReadAsByteArrayAsync();
            context.Response.ContentType = "application/xml";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        });

        using var http = new HttpClient();
        var client = new DuisClient(http, _supplier, new InMemoryCertificateResolver([_dcc.Certificate]),
            new DuisClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/") });
        var exchange = await client.SendAsync(ReadInventoryRequest(), CancellationToken.None);
        await serve;

        Assert.That(exchange.Response.ResponseCode.IsSuccess, Is.True);
        Assert.That(exchange.ResponseVerification!.IsValid, Is.True);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class DelegateHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> handle) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => handle(request, cancellationToken);
    }
}

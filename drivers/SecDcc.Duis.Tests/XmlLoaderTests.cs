using SecDcc.Duis.Xml;

namespace SecDcc.Duis.Tests;

public class XmlLoaderTests
{
    private const string Request = "<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\"/>";

    [Test]
    public void Loads_a_request_and_keeps_whitespace()
    {
        var document = DuisXmlLoader.Load("<?xml version=\"1.0\"?>\n<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\">\n  <sr:Header/>\n</sr:Request>");

        Assert.That(document.PreserveWhitespace, Is.True);
        Assert.That(document.DocumentElement!.ChildNodes.Count, Is.EqualTo(3), "whitespace text nodes are kept so signatures verify over what was received");
    }

    [Test]
    public void Bytes_are_decoded_as_their_declaration_says()
    {
        var latin1 = System.Text.Encoding.Latin1.GetBytes(
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\">caf\u00e9</sr:Request>");
        Assert.That(DuisXmlLoader.Load(latin1).DocumentElement!.InnerText, Is.EqualTo("caf\u00e9"));
        var utf8 = System.Text.Encoding.UTF8.GetBytes(Request);
        Assert.That(DuisXmlLoader.Load(utf8).DocumentElement!.LocalName, Is.EqualTo("Request"));
    }

    [Test]
    public void Refuses_a_DTD()
    {
        var ex = Assert.Throws<DuisException>(() => DuisXmlLoader.Load("<!DOCTYPE sr:Request [<!ELEMENT x ANY>]>" + Request));
        Assert.That(ex!.Failure, Is.EqualTo(DuisFailure.DtdPresent));
        Assert.That(ex.Message, Does.Contain("DOCTYPE"));
    }

    [Test]
    public void Refuses_entity_expansion()
    {
        const string bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>" +
            "<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\">&lol2;</sr:Request>";

        var ex = Assert.Throws<DuisException>(() => DuisXmlLoader.Load(bomb));
        Assert.That(ex!.Failure, Is.EqualTo(DuisFailure.DtdPresent));
    }

    [Test]
    public void Refuses_an_external_entity()
    {
        const string xxe = "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
        Assert.That(() => DuisXmlLoader.Load(xxe), Throws.TypeOf<DuisException>().With.Property(nameof(DuisException.Failure)).EqualTo(DuisFailure.DtdPresent));
    }

    [Test]
    public void Refuses_text_that_is_not_well_formed()
    {
        var ex = Assert.Throws<DuisException>(() => DuisXmlLoader.Load(Request[..40]));
        Assert.That(ex!.Failure, Is.EqualTo(DuisFailure.NotWellFormed));
    }

    [Test]
    public void Refuses_a_declaration_naming_an_unknown_encoding_as_not_well_formed()
    {
        var ex = Assert.Throws<DuisException>(() => DuisXmlLoader.Load("<?xml version=\"1.0\" encoding=\"x-no-such-encoding\"?><r/>"u8.ToArray()));
        Assert.That(ex!.Failure, Is.EqualTo(DuisFailure.NotWellFormed));
    }

    [Test]
    public void Refuses_a_document_over_the_size_limit()
    {
        var ex = Assert.Throws<DuisException>(() => DuisXmlLoader.Load(Request, new DuisXmlLoadOptions { MaxBytes = 20 }));
        Assert.That(ex!.Failure, Is.EqualTo(DuisFailure.TooLarge));
        Assert.That(ex.Message, Does.Contain("MaxBytes"));
    }

    [Test]
    public async Task Refuses_an_endless_stream_without_reading_it_all()
    {
        await using var endless = new EndlessStream();
        var ex = Assert.ThrowsAsync<DuisException>(() => DuisXmlLoader.LoadAsync(endless, new DuisXmlLoadOptions { MaxBytes = 100_000 }, CancellationToken.None));
        Assert.That(ex!.Failure, Is.EqualTo(DuisFailure.TooLarge));
        Assert.That(endless.BytesRead, Is.LessThan(200_000));
    }

    [TestCase("<Request schemaVersion=\"5.4\"/>")]
    [TestCase("<sr:Other xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\"/>")]
    public void RequireRoot_refuses_another_namespace_or_element(string xml)
    {
        var ex = Assert.Throws<DuisException>(() => DuisXmlLoader.RequireRoot(DuisXmlLoader.Load(xml), "Request"));
        Assert.That(ex!.Failure, Is.EqualTo(DuisFailure.WrongRoot));
        Assert.That(ex.Message, Does.Contain("ServiceUserGateway"));
    }

    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)' ', offset, count);
            BytesRead += count;
            return count;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using System.Xml.Linq;

namespace SecDcc.Duis;

/// <summary>Namespaces, algorithm URIs and the schema version used by the DCC's DUIS tools.</summary>
public static class DuisNames
{
    public const string ServiceUserGatewayNamespace = "http://www.dccinterface.co.uk/ServiceUserGateway";
    public const string XmlDsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

    /// <summary>
    /// The schemaVersion attribute value that every request template in @smartdcc/duis-templates 0.7.0 carries.
    /// The XSD types it as xs:decimal and the signing tool accepts it.
    /// </summary>
    public const string SchemaVersion = "5.4";

    public const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public const string ExclusiveC14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public const string EnvelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

    public static readonly XNamespace Sr = ServiceUserGatewayNamespace;
    public static readonly XNamespace Ds = XmlDsigNamespace;
}

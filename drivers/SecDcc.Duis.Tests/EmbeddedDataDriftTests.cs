using System.IO.Compression;
using System.Text.RegularExpressions;
using SecDcc.Duis.Interop;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Tests.Support;

namespace SecDcc.Duis.Tests;

/// <summary>The data copied into the library still matches the pinned npm packages it came from.</summary>
[Category("Interop")]
public partial class EmbeddedDataDriftTests
{
    [Test]
    public async Task The_request_matrix_is_the_one_in_duis_parser()
    {
        var installed = Path.Combine(InteropPackages.RequirePackages(), "node_modules", "@smartdcc", "duis-parser", "dist", "duis-request-matrix.json");
        var embedded = Path.Combine(RepositoryDirectory(), "drivers", "SecDcc.Duis", "Data", "duis-request-matrix.json");

        Assert.That(await File.ReadAllBytesAsync(embedded), Is.EqualTo(await File.ReadAllBytesAsync(installed)),
            "drivers/SecDcc.Duis/Data/duis-request-matrix.json differs from the installed duis-parser; copy it again and update Data/README.md");
    }

    [Test]
    public void Response_codes_and_command_variants_are_those_of_the_XSD_in_the_jar()
    {
        var jar = Path.Combine(InteropPackages.RequirePackages(), DuisTool.JarRelativePath);
        using var archive = ZipFile.OpenRead(jar);
        using var reader = new StreamReader(archive.GetEntry("DUIS Schema V5.1.xsd")!.Open());
        var xsd = reader.ReadToEnd();

        var codesBlock = Block(xsd, "<xs:simpleType name=\"ResponseCode\">");
        var codes = EnumerationValue().Matches(codesBlock).Select(m => m.Groups[1].Value).ToList();
        Assert.That(ResponseCodes.All, Is.EquivalentTo(codes));

        var srvBlock = Block(xsd, "<xs:simpleType name=\"ServiceReferenceVariant\">");
        var variants = CommandVariantComment().Matches(srvBlock).ToDictionary(
            m => m.Groups[1].Value,
            m => m.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList());
        Assert.That(variants, Has.Count.GreaterThan(100));
        foreach (var (srv, cvs) in variants)
        {
            if (ServiceRequestCatalogue.Default.TryGet(srv, out var known))
            {
                Assert.That(known.CommandVariants, Is.EqualTo(cvs), srv);
            }
        }
    }

    [Test]
    public void Missing_tools_are_reported_with_the_command_that_installs_them()
    {
        var empty = Directory.CreateTempSubdirectory("secdcc-duis-empty-");
        try
        {
            Assert.That(DuisTool.TryLocate(out var why, empty.FullName), Is.Null);
            Assert.That(why, Does.Contain("drivers/interop was not found"));

            var interop = Directory.CreateDirectory(Path.Combine(empty.FullName, "drivers", "interop"));
            File.WriteAllText(Path.Combine(interop.FullName, "package.json"), "{}");
            Assert.That(DuisTool.TryLocate(out why, empty.FullName), Is.Null);
            Assert.That(why, Does.Contain("npm ci --prefix drivers/interop"));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Test]
    public void Missing_Java_is_reported_as_such()
    {
        var installed = InteropPackages.RequirePackages();
        Assert.That(DuisTool.TryLocate(out var noJava, installed, java: "no-such-java-on-path"), Is.Null);
        Assert.That(noJava, Does.Contain("not on PATH"));
    }

    private static string RepositoryDirectory() => Path.GetFullPath(Path.Combine(InteropPackages.RequirePackages(), "..", ".."));

    private static string Block(string xsd, string start)
    {
        var from = xsd.IndexOf(start, StringComparison.Ordinal);
        Assert.That(from, Is.GreaterThanOrEqualTo(0), start);
        return xsd[from..xsd.IndexOf("</xs:simpleType>", from, StringComparison.Ordinal)];
    }

    [GeneratedRegex("value=\"([^\"]+)\"")]
    private static partial Regex EnumerationValue();

    [GeneratedRegex("<xs:enumeration value=\"([^\"]+)\"/>\\s*<!--\\s*CV\\s*=\\s*([0-9, ]+)-->")]
    private static partial Regex CommandVariantComment();
}

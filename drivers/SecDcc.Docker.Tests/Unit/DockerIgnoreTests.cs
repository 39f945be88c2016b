using SecDcc.Docker.Build;

namespace SecDcc.Docker.Tests.Unit;

public sealed class DockerIgnoreTests
{
    private static readonly DockerIgnore Rules = DockerIgnore.Parse("""
        # build output
        bin
        **/obj
        *.tmp
        /logs/
        docs/*.md
        !docs/KEEP.md
        secret?.txt

        """);

    [TestCase("bin", true)]
    [TestCase("bin/Debug/app.dll", true, Description = "a matched folder excludes what is under it")]
    [TestCase("src/bin/x.dll", false, Description = "a plain name matches at the root only, as in Docker")]
    [TestCase("obj/project.assets.json", true)]
    [TestCase("src/deep/obj/x.cs", true)]
    [TestCase("a.tmp", true)]
    [TestCase("src/a.tmp", false, Description = "* does not cross /")]
    [TestCase("logs/today.log", true)]
    [TestCase("docs/README.md", true)]
    [TestCase("docs/KEEP.md", false, Description = "a later ! line re-includes")]
    [TestCase("docs/sub/README.md", false)]
    [TestCase("secret1.txt", true)]
    [TestCase("secret12.txt", false, Description = "? is one character")]
    [TestCase("Dockerfile", false)]
    [TestCase("./bin/x", true, Description = "a leading ./ is ignored")]
    public void Paths_are_matched_like_the_docker_cli(string path, bool excluded) =>
        Assert.That(Rules.IsExcluded(path), Is.EqualTo(excluded));

    [Test]
    public void The_last_matching_line_wins()
    {
        var rules = DockerIgnore.Parse("*.md\n!README.md\nREADME.md\n");
        Assert.That(rules.IsExcluded("README.md"), Is.True);
        Assert.That(DockerIgnore.Parse("*.md\n!README.md\n").IsExcluded("README.md"), Is.False);
    }

    [Test]
    public void Double_star_alone_matches_everything_and_negation_brings_one_back()
    {
        var rules = DockerIgnore.Parse("**\n!app/**\n");
        Assert.That(rules.IsExcluded("notes.txt"), Is.True);
        Assert.That(rules.IsExcluded("app/x/y.dll"), Is.False);
    }

    [Test]
    public void A_backslash_takes_the_next_character_literally()
    {
        var rules = DockerIgnore.Parse(@"what\*.txt");
        Assert.That(rules.IsExcluded("what*.txt"), Is.True);
        Assert.That(rules.IsExcluded("whatever.txt"), Is.False);
    }

    [Test]
    public void Character_classes_are_refused_with_the_file_and_line()
    {
        var e = Assert.Throws<DockerContextException>(() => DockerIgnore.Parse("bin\n\nfile[0-9].txt\n", "ctx/.dockerignore"));
        Assert.That(e!.Message, Does.StartWith("ctx/.dockerignore:3:").And.Contain("file[0-9].txt"));
    }

    [Test]
    public void Nothing_is_excluded_without_a_file() =>
        Assert.That(DockerIgnore.Empty.IsExcluded("anything/at/all"), Is.False);
}

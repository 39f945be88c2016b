using System.Formats.Tar;
using SecDcc.Docker.Build;
using SecDcc.Docker.Tests.Support;

namespace SecDcc.Docker.Tests.Unit;

public sealed class BuildContextTests
{
    private static async Task<Dictionary<string, TarEntry>> ReadTarAsync(BuildContext context)
    {
        using var buffer = new MemoryStream();
        await context.WriteTarAsync(buffer, CancellationToken.None);
        buffer.Position = 0;
        var entries = new Dictionary<string, TarEntry>();
        await using var reader = new TarReader(buffer);
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            entries[entry.Name] = entry;
        }

        return entries;
    }

    [Test]
    public async Task The_tar_holds_what_dockerignore_lets_through_and_always_the_Dockerfile()
    {
        using var dir = new TempDirectory();
        dir.Write("Dockerfile", "FROM scratch\n");
        dir.Write(".dockerignore", "Dockerfile\nbin/\n*.log\n");
        dir.Write("app/app.dll", "binary");
        dir.Write("bin/Debug/junk.dll", "junk");
        dir.Write("trace.log", "log");

        var entries = await ReadTarAsync(BuildContext.FromDirectory(dir.Path));

        Assert.That(entries.Keys, Is.SupersetOf(new[] { "Dockerfile", ".dockerignore", "app/", "app/app.dll" }));
        Assert.That(entries.Keys, Has.None.StartsWith("bin"));
        Assert.That(entries.Keys, Has.No.Member("trace.log"));
    }

    [Test]
    public async Task File_contents_and_the_executable_bit_survive_and_modes_are_normalised()
    {
        using var dir = new TempDirectory();
        dir.Write("run.sh", "#!/bin/sh\necho hi\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        dir.Write("data.txt", "payload", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var entries = await ReadTarAsync(BuildContext.FromDirectory(dir.Path));

        // 0755 and 0644 whatever the umask: the image's non-root user must be able to read a 0600 publish output.
        Assert.That(Convert.ToString((int)entries["run.sh"].Mode, 8), Is.EqualTo("755"));
        Assert.That(Convert.ToString((int)entries["data.txt"].Mode, 8), Is.EqualTo("644"));
        using var reader = new StreamReader(entries["data.txt"].DataStream!);
        Assert.That(await reader.ReadToEndAsync(), Is.EqualTo("payload"));
        Assert.That(entries["data.txt"].Uid, Is.Zero);
    }

    [Test]
    public async Task The_same_files_give_the_same_bytes_and_a_changed_file_a_different_hash()
    {
        using var dir = new TempDirectory();
        dir.Write("Dockerfile", "FROM scratch\n");
        var file = dir.Write(Path.Combine(new string('d', 60), new string('f', 80) + ".txt"), "long names take the GNU long-name path");

        var first = await BuildContext.FromDirectory(dir.Path).ComputeHashAsync(CancellationToken.None);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-3));
        var touched = await BuildContext.FromDirectory(dir.Path).ComputeHashAsync(CancellationToken.None);
        File.WriteAllText(file, "changed");
        var changed = await BuildContext.FromDirectory(dir.Path).ComputeHashAsync(CancellationToken.None);

        Assert.That(touched, Is.EqualTo(first), "the modification time is not part of the context");
        Assert.That(changed, Is.Not.EqualTo(first));
        Assert.That(first, Has.Length.EqualTo(64));
    }

    [Test]
    public async Task Several_sources_go_under_their_prefixes()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        var dockerfile = a.Write("Dockerfile", "FROM scratch\n");
        b.Write("Service.dll", "x");
        b.Write("wwwroot/index.html", "<p/>");

        var entries = await ReadTarAsync(new BuildContext().AddFile(dockerfile, "Dockerfile").AddDirectory(b.Path, "app"));

        Assert.That(entries.Keys, Is.EquivalentTo(new[] { "Dockerfile", "app/", "app/Service.dll", "app/wwwroot/", "app/wwwroot/index.html" }));
    }

    [Test]
    public async Task Symbolic_links_stay_links()
    {
        using var dir = new TempDirectory();
        dir.Write("real.txt", "x");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "link.txt"), "real.txt");

        var entries = await ReadTarAsync(BuildContext.FromDirectory(dir.Path));

        Assert.That(entries["link.txt"].EntryType, Is.EqualTo(TarEntryType.SymbolicLink));
        Assert.That(entries["link.txt"].LinkName, Is.EqualTo("real.txt"));
    }

    [Test]
    public void A_missing_source_folder_is_named()
    {
        var e = Assert.Throws<DockerContextException>(() => new BuildContext().AddDirectory("/no/such/folder", "app"));
        Assert.That(e!.Message, Does.Contain("/no/such/folder").And.Contain("does not exist"));
    }

    [Test]
    public void A_file_and_a_folder_at_one_path_are_refused()
    {
        using var a = new TempDirectory();
        var file = a.Write("app", "not a folder");
        using var b = new TempDirectory();
        b.Write("x.dll", "x");

        var e = Assert.Throws<DockerContextException>(() => new BuildContext().AddFile(file, "app").AddDirectory(b.Path, "app"));
        Assert.That(e!.Message, Does.Contain("'app'"));
    }
}

public sealed class ReferenceDccContextTests
{
    [Test]
    public async Task The_reference_DCC_context_is_Dockerfile_rootfs_and_app_without_other_platforms_natives()
    {
        using var publish = new TempDirectory();
        publish.Write("SecDcc.Dcc.Service.dll", "service");
        publish.Write("runtimes/linux-x64/native/libe_sqlite3.so", "x64");
        publish.Write("runtimes/linux-arm64/native/libe_sqlite3.so", "arm64");
        publish.Write("runtimes/win-x64/native/e_sqlite3.dll", "windows");
        publish.Write("runtimes/osx-arm64/native/libe_sqlite3.dylib", "mac");

        var context = SecDcc.Docker.Dcc.ReferenceDccImage.CreateContext(new SecDcc.Docker.Dcc.ReferenceDccImageRequest
        {
            ReferenceDccDirectory = Support.DockerTestEngine.ReferenceDccDirectory,
            PublishedServiceDirectory = publish.Path,
        });

        Assert.That(context.Paths, Is.SupersetOf(new[]
        {
            "Dockerfile", ".dockerignore", "rootfs/usr/local/bin/secdcc-entrypoint", "rootfs/usr/local/bin/secdcc-healthcheck",
            "app/SecDcc.Dcc.Service.dll", "app/runtimes/linux-x64/native/libe_sqlite3.so", "app/runtimes/linux-arm64/native/libe_sqlite3.so",
        }));
        Assert.That(context.Paths, Has.None.StartsWith("app/runtimes/win-").And.None.StartsWith("app/runtimes/osx-"));
        Assert.That(context.Paths.Where(p => p.StartsWith("app/runtimes/", StringComparison.Ordinal) && p.Count(c => c == '/') == 2),
            Is.EquivalentTo(new[] { "app/runtimes/linux-x64", "app/runtimes/linux-arm64" }));
        await Task.CompletedTask;
    }

    [Test]
    public void A_publish_folder_without_the_service_assembly_is_refused_with_the_fix()
    {
        using var publish = new TempDirectory();
        var e = Assert.Throws<DockerContextException>(() => SecDcc.Docker.Dcc.ReferenceDccImage.CreateContext(new SecDcc.Docker.Dcc.ReferenceDccImageRequest
        {
            ReferenceDccDirectory = Support.DockerTestEngine.ReferenceDccDirectory,
            PublishedServiceDirectory = publish.Path,
        }));
        Assert.That(e!.Message, Does.Contain("has no SecDcc.Dcc.Service.dll").And.Contain("dotnet publish"));
    }
}

public sealed class ImagePruneTests
{
    [Test]
    public async Task Old_cached_images_go_except_the_newest_and_those_in_use()
    {
        var engine = new Support.FakeDockerEngine();
        var now = DateTimeOffset.UtcNow;
        SecDcc.Docker.Engine.ImageSummary Image(string id, int minutesAgo, string repository = "secdcc/reference-dcc") => new(
            id, [$"{repository}:ctx-{id}"], 1, now.AddMinutes(-minutesAgo),
            new Dictionary<string, string> { [SecDcc.Docker.Dcc.ReferenceDccImage.RepositoryLabel] = repository, [SecDcc.Docker.Dcc.ReferenceDccImage.ContextHashLabel] = id });
        engine.Images.AddRange([Image("new", 0), Image("prev1", 10), Image("prev2", 20), Image("old-busy", 30), Image("oldest", 40), Image("other-repo", 50, "secdcc/other")]);
        engine.ImagesInUse.Add("old-busy");
        var log = new List<string>();

        var removed = await SecDcc.Docker.Dcc.ReferenceDccImage.PruneAsync(engine, "secdcc/reference-dcc", "new", log.Add, CancellationToken.None);

        Assert.That(removed, Is.EqualTo(new[] { "oldest" }));
        Assert.That(engine.Images.Select(i => i.Id), Is.EquivalentTo(new[] { "new", "prev1", "prev2", "old-busy", "other-repo" }));
        Assert.That(log, Has.Some.StartsWith("kept the old cached image old-busy: conflict"));
    }
}

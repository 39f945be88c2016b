using SecDcc.Docker.Dcc;
using SecDcc.Docker.Sessions;
using SecDcc.Docker.Tests.Support;

namespace SecDcc.Docker.Tests.Integration;

/// <summary>
/// The real reference DCC service in its image. Explicit: it publishes reference-dcc/SecDcc.Dcc.Service
/// (tens of seconds on two cores) and depends on that project building at the moment, which other work changes.
/// Run with: dotnet test drivers/SecDcc.Docker.Tests --filter TestCategory=ReferenceDcc
/// </summary>
// Only the ReferenceDcc category: a filter on "Docker" must not select this explicit test.
[Explicit("publishes the reference DCC service; run on demand")]
[Category("ReferenceDcc")]
public sealed class ReferenceDccServiceTests
{
    [Test]
    public async Task The_published_service_runs_ready_in_its_image()
    {
        var engine = await DockerTestEngine.RequireWithLocalBaseAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var referenceDcc = DockerTestEngine.ReferenceDccDirectory;
        var publish = Directory.CreateTempSubdirectory("secdcc-dcc-publish-").FullName;
        var session = new DockerSession("secdcc-test", DockerSession.NewId(), ProcessIdentity.Current);
        try
        {
            await ReferenceDccPublisher.PublishAsync(Path.Combine(referenceDcc, "SecDcc.Dcc.Service", "SecDcc.Dcc.Service.csproj"), publish, timeout.Token);

            await using var dcc = await DockerDcc.StartAsync(engine, new DockerDccOptions
            {
                PublishedServiceDirectory = publish,
                ReferenceDccDirectory = referenceDcc,
                BaseImage = ReferenceDccImage.LocalBaseImage,
                WaitForDockerHealth = true,
                Session = session,
                Log = line => TestContext.Progress.WriteLine(line),
            }, timeout.Token);
            using var http = new HttpClient { BaseAddress = dcc.BaseUrl };
            var live = await dcc.GuardAsync(ct => http.GetAsync(ReferenceDccImage.DefaultHealthPath.TrimStart('/'), ct), timeout.Token);

            Assert.That((int)live.StatusCode, Is.EqualTo(200));
            Assert.That(dcc.ImageDigest, Does.StartWith("sha256:"));
            TestContext.Out.WriteLine($"image {dcc.Image.Tag}: {dcc.Image.Image.Size} bytes, {dcc.ImageDigest}; built now: {dcc.Image.Built}");
            TestContext.Out.WriteLine($"container start to ready (HTTP {ReferenceDccImage.DefaultHealthPath} and Docker health): {dcc.StartupTime.TotalMilliseconds:0} ms");
        }
        finally
        {
            Directory.Delete(publish, recursive: true);
        }
    }
}

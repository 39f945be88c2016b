using SecDcc.Docker.Engine;

namespace SecDcc.Docker.Tests.Unit;

public sealed class BuildProgressTests
{
    [Test]
    public void Stream_pieces_become_lines_and_the_image_id_and_error_are_kept()
    {
        var progress = new BuildProgress();
        var seen = new List<string>();
        foreach (var line in new[]
                 {
                     """{"stream":"Step 1/2 : FROM base\n"}""",
                     """{"stream":" ---> abc"}""",
                     """{"stream":"123\n"}""",
                     """{"aux":{"ID":"sha256:feed"}}""",
                     """{"status":"Downloading","id":"layer1"}""",
                     "not json at all",
                     """{"errorDetail":{"code":3,"message":"The command '/bin/sh -c exit 3' returned a non-zero code: 3"},"error":"The command '/bin/sh -c exit 3' returned a non-zero code: 3"}""",
                 })
        {
            progress.Add(line, seen.Add);
        }

        Assert.That(progress.Lines, Is.EqualTo(new[]
        {
            "Step 1/2 : FROM base", " ---> abc123", "layer1: Downloading", "not json at all",
            "ERROR: The command '/bin/sh -c exit 3' returned a non-zero code: 3",
        }));
        Assert.That(seen, Is.EqualTo(progress.Lines));
        Assert.That(progress.ImageId, Is.EqualTo("sha256:feed"));
        Assert.That(progress.Error, Is.EqualTo("The command '/bin/sh -c exit 3' returned a non-zero code: 3"));
    }
}

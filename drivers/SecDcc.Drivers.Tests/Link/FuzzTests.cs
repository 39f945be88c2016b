using SecDcc.Drivers.Link;
using SecDcc.Drivers.Serial;
using SecDcc.Drivers.Tests.Serial;

namespace SecDcc.Drivers.Tests.Link;

/// <summary>
/// 100,000 bad frames of every kind mixed with good ones, through a FrameReader over memory and over a real
/// pseudo-terminal: no exception, no hang, nothing bad accepted, every good frame received in order.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FuzzTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Test]
    [CancelAfter(90_000)]
    public async Task Fuzzed_stream_in_memory()
    {
        var corpus = FuzzCorpus.Default;
        var reader = new FrameReader(new MemoryStream(corpus.Wire), new LinkDecoder(FuzzCorpus.Options, LinkKit.Keys()));
        using var deadline = new CancellationTokenSource(Deadline);

        var ids = new List<ulong>();
        await foreach (var frame in reader.ReadAllAsync(deadline.Token))
        {
            ids.Add(FuzzCorpus.IdOf(frame));
        }

        AssertOutcome(corpus, ids, reader.Statistics);
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task Fuzzed_stream_through_a_pseudo_terminal()
    {
        var corpus = FuzzCorpus.Default;
        using var pty = TermiosLayoutTests.PtyOrIgnore();
        using var port = SerialPort.Open(pty.SlavePath, new SerialSettings { BaudRate = 115200 });
        using var reader = new FrameReader(port, new LinkDecoder(FuzzCorpus.Options, LinkKit.Keys()));
        using var deadline = new CancellationTokenSource(Deadline);

        var sending = Task.Run(
            async () =>
            {
                // Uneven chunks, so frames straddle reads at every possible point.
                var random = new Random(3);
                for (var at = 0; at < corpus.Wire.Length;)
                {
                    var n = Math.Min(random.Next(1, 8192), corpus.Wire.Length - at);
                    await pty.Master.WriteAsync(corpus.Wire.AsMemory(at, n), deadline.Token);
                    at += n;
                }
            },
            deadline.Token);

        var ids = new List<ulong>();
        var sentinel = corpus.GoodIds[^1];
        while (ids.Count == 0 || ids[^1] != sentinel)
        {
            var frame = await reader.ReadFrameAsync(deadline.Token);
            Assert.That(frame, Is.Not.Null, $"the line ended before the last good frame; {reader.Statistics}");
            ids.Add(FuzzCorpus.IdOf(frame!));
        }

        await sending;
        AssertOutcome(corpus, ids, reader.Statistics);

        var inMemory = new LinkDecoder(FuzzCorpus.Options, LinkKit.Keys());
        inMemory.Decode(corpus.Wire);
        Assert.That(reader.Statistics.DroppedByReason(), Is.EqualTo(inMemory.Statistics.DroppedByReason()), "the pty changed no byte");
        Assert.That(reader.Statistics.BytesReceived, Is.EqualTo(corpus.Wire.Length));
    }

    private static void AssertOutcome(FuzzCorpus corpus, List<ulong> acceptedIds, LinkStatistics stats)
    {
        TestContext.Out.WriteLine(
            $"{corpus.BadFrames} bad frames ({corpus.JunkRuns} runs of junk), {corpus.GoodIds.Count} good, {corpus.Wire.Length} bytes: {stats}");
        Assert.Multiple(() =>
        {
            Assert.That(corpus.BadFrames, Is.GreaterThanOrEqualTo(100_000));
            Assert.That(acceptedIds, Has.None.EqualTo(ulong.MaxValue), "no forged or corrupted frame was accepted");
            Assert.That(acceptedIds, Is.EqualTo(corpus.GoodIds), "every good frame, once each, in order, the last one after all the junk");
            Assert.That(stats.FramesAccepted, Is.EqualTo(corpus.GoodIds.Count));
            Assert.That(stats.DroppedTotal, Is.GreaterThanOrEqualTo(corpus.BadFrames), "every bad frame was counted");
            foreach (var (reason, injected) in corpus.Injected)
            {
                if (FuzzCorpus.ExactReasons.Contains(reason))
                {
                    Assert.That(stats.Dropped(reason), Is.EqualTo(injected), $"{reason} drops");
                }
                else
                {
                    Assert.That(stats.Dropped(reason), Is.GreaterThanOrEqualTo(injected), $"{reason} drops (junk adds to these)");
                }
            }
        });
    }
}

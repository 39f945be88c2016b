using System.Diagnostics;
using System.Net;
using System.Text;
using System.Xml.Linq;
using SecDcc.Dcc.Tests.Duis.Support;
using SecDcc.Duis;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using static SecDcc.Dcc.Tests.Support.TestWorld;
using DuisType = SecDcc.Duis.Messages.DeviceType;

namespace SecDcc.Dcc.Tests.Duis;

/// <summary>
/// Mutated signed requests against the DUIS endpoint: bit flips, truncations, swapped and duplicated elements (after
/// signing, so the signature no longer holds), and structurally wrong bodies signed afresh with a valid signature. None
/// may get a 5xx, hang past its deadline, or change the SMI. The bases would change the SMI if they were accepted.
/// </summary>
public sealed class DuisFuzzTests : DuisFixture
{
    private const int Mutants = 1200;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private enum Mutation { BitFlip, Truncate, SwapAfterSigning, DuplicateAfterSigning, ResignedSwap, ResignedDuplicate, ResignedRemoval, ResignedUnknownElement, ResignedNestedInLeaf, ResignedTextInElementContent, ResignedRename, ResignedForeignNamespace }

    [Test]
    public async Task Mutated_signed_requests_get_duis_errors_no_5xx_no_hang_and_no_smi_change()
    {
        var random = new Random(20_240_501);
        var esme = await PreNotifyAsync(Supplier, DuisType.Esme, Smets2Esme);
        var bases = new Func<DuisRequest>[]
        {
            // Minimal bodies (no optional elements), so removing any element leaves a request the schema refuses.
            () => DuisRequest.Create(Supplier.NextRequestId(Host.DccEui), new DevicePreNotification(NewDevice(), Smets2Esme.Manufacturer, Smets2Esme.Model, DuisType.Esme)),
            () => DuisRequest.Create(Supplier.NextRequestId(Host.DccEui), new DecommissionDevice(esme)),
            () => DuisRequest.Create(Supplier.NextRequestId(Host.DccEui), new UpdateInventory(esme, new UpdateMpxn(MpxnKind.ImportMpxn, NewMpan()))),
            () => DuisRequest.Create(Supplier.NextRequestId(Host.DccEui), ReadInventory.ByDeviceId(esme)),
            // A device request to a CHF the SMI does not hold: any that slipped through would be refused under AC 2.7.
            () => DuisRequest.Create(Supplier.NextRequestId(NewDevice()), new UpdateHanDeviceLog(esme, HanDeviceLogRequestType.Add)),
        };
        var before = await Host.SnapshotAsync(Ct);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var slowest = TimeSpan.Zero;

        for (var i = 0; i < Mutants; i++)
        {
            var mutation = (Mutation)(i % Enum.GetValues<Mutation>().Length);
            var body = Mutate(mutation, bases[random.Next(bases.Length)](), random);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(Deadline);
            var watch = Stopwatch.StartNew();
            RawAnswer answer;
            try
            {
                answer = await Host.PostRawAsync(body, deadline.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                Assert.Fail($"Mutant {i} ({mutation}) got no answer within {Deadline.TotalSeconds:0} s:\n{Encoding.UTF8.GetString(body)}");
                return;
            }
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            Assert.That((int)answer.Status, Is.LessThan(500), $"Mutant {i} ({mutation}) got HTTP {(int)answer.Status}: {answer.Text}");
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), $"Mutant {i} ({mutation}): {answer.Text}");
            Assert.That(answer.Verification?.IsValid, Is.True, $"Mutant {i} ({mutation}): the answer is not a DUIS Response signed by the DCC: {answer.Text}");
            Assert.That(answer.Response!.ResponseCode.IsError, Is.True, $"Mutant {i} ({mutation}) was not refused: {answer}\n{Encoding.UTF8.GetString(body)}");
            var key = $"{answer.Code} {answer.Rejection?.Reason ?? "(no reason)"}";
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        Assert.That(await Host.SnapshotAsync(Ct), Is.EqualTo(before), "no mutant changed the SMI");
        TestContext.Out.WriteLine($"{Mutants} mutated requests; slowest answer {slowest.TotalMilliseconds:0} ms. Outcomes:");
        foreach (var (outcome, count) in counts)
            TestContext.Out.WriteLine($"  {count,5}  {outcome}");
    }

    private byte[] Mutate(Mutation mutation, DuisRequest request, Random random)
    {
        var signed = Supplier.Sign(request);
        switch (mutation)
        {
            case Mutation.BitFlip:
                var bytes = Encoding.UTF8.GetBytes(signed);
                for (var flips = 1 + random.Next(3); flips > 0; flips--)
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case Mutation.Truncate:
                var all = Encoding.UTF8.GetBytes(signed);
                return all[..random.Next(all.Length)];
            case Mutation.SwapAfterSigning:
                return Serialise(Edit(XDocument.Parse(signed), d => Swap(d, random)));
            case Mutation.DuplicateAfterSigning:
                return Serialise(Edit(XDocument.Parse(signed), d => Duplicate(d, random)));
        }
        var unsigned = XDocument.Parse(request.ToXml());
        Edit(unsigned, d =>
        {
            var elements = Elements(d);
            var target = elements[random.Next(elements.Count)];
            switch (mutation)
            {
                case Mutation.ResignedSwap: Swap(d, random); break;
                case Mutation.ResignedDuplicate: Duplicate(d, random); break;
                case Mutation.ResignedRemoval: target.Remove(); break;
                case Mutation.ResignedUnknownElement: target.AddAfterSelf(new XElement(DuisNames.Sr + "Unexpected", "x")); break;
                case Mutation.ResignedNestedInLeaf:
                    var leaves = elements.Where(e => !e.HasElements).ToList();
                    var leaf = leaves[random.Next(leaves.Count)];
                    leaf.ReplaceNodes(new XElement(DuisNames.Sr + "Inner", leaf.Value));
                    break;
                case Mutation.ResignedTextInElementContent:
                    var parents = elements.Where(e => e.HasElements).ToList();
                    parents[random.Next(parents.Count)].AddFirst(new XText("stray text"));
                    break;
                case Mutation.ResignedRename: target.Name = DuisNames.Sr + (target.Name.LocalName + "X"); break;
                default: target.Name = XNamespace.Get("http://example.com/other") + target.Name.LocalName; break;
            }
        });
        return Encoding.UTF8.GetBytes(DuisSigner.Sign(unsigned.Declaration + unsigned.ToString(SaveOptions.DisableFormatting), Supplier.Credentials));
    }

    /// <summary>The request's elements below the root, outside the signature.</summary>
    private static List<XElement> Elements(XDocument d) =>
        d.Root!.Descendants().Where(e => e.Name.Namespace == DuisNames.Sr).ToList();

    private static XDocument Edit(XDocument d, Action<XDocument> edit)
    {
        edit(d);
        return d;
    }

    /// <summary>Swaps two neighbouring elements with different names (so the result is never the same document).</summary>
    private static void Swap(XDocument d, Random random)
    {
        var pairs = Elements(d).Where(e => e.ElementsAfterSelf().FirstOrDefault() is { } next && next.Name != e.Name && next.Name.Namespace == DuisNames.Sr).ToList();
        var first = pairs[random.Next(pairs.Count)];
        var second = first.ElementsAfterSelf().First();
        second.Remove();
        first.AddBeforeSelf(second);
    }

    private static void Duplicate(XDocument d, Random random)
    {
        var elements = Elements(d);
        var e = elements[random.Next(elements.Count)];
        e.AddAfterSelf(new XElement(e));
    }

    private static byte[] Serialise(XDocument d) => Encoding.UTF8.GetBytes(d.Declaration + d.ToString(SaveOptions.DisableFormatting));
}

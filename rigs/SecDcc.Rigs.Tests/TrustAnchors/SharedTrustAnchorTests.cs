using SecDcc.DeviceProtocol.Local;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;
using SecDcc.Rigs.TrustAnchors;

namespace SecDcc.Rigs.Tests.TrustAnchors;

/// <summary>Trust Anchors made once and given to many rigs (EmulatorOptions.TrustAnchors).</summary>
public sealed class SharedTrustAnchorTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Rigs_given_the_same_trust_anchors_populate_their_devices_from_them_and_leave_them_usable(CancellationToken ct)
    {
        TestRigs.RequirePseudoTerminals();
        var definition = RigFile.Load(Path.Combine(RepoPaths.Rigs, "emulated-trust-anchors.yaml"));
        using var shared = RigTrustAnchors.Create(definition.TrustAnchors);
        foreach (var round in new[] { "first", "second" })
        {
            using var folder = new TempFolder();
            await using var rig = await EmulatedRig.StartAsync(definition, new EmulatorOptions { StateDirectory = folder.Path, TrustAnchors = shared }, ct);
            var expected = shared.Population(rig["esme"].Definition).ToDictionary(p => p.Key.ToString(), p => new Octets(p.Value));
            await using var port = LocalPortClient.Open(rig["esme"].LocalPortPath);
            var cells = (await port.ReadCredentialsAsync(ct)).ToDictionary(c => c.Name, c => c.Value);
            Assert.That(expected, Is.SubsetOf(cells), $"the {round} rig's ESME cells, byte for byte");
        }

        // The rigs are gone; what they were given is not theirs to dispose.
        Assert.That(shared.Pki.RootOca.Certificate.RawData, Is.Not.Empty);
    }

    [Test]
    [CancelAfter(30_000)]
    public void Trust_anchors_made_for_other_settings_are_refused_saying_what_they_were_made_for(CancellationToken ct)
    {
        TestRigs.RequirePseudoTerminals();
        var definition = RigFile.Load(Path.Combine(RepoPaths.Rigs, "emulated-trust-anchors.yaml"));
        using var other = RigTrustAnchors.Create(TrustAnchorSettings.SeedOnly("another seed"));
        using var folder = new TempFolder();
        var refused = Assert.ThrowsAsync<ArgumentException>(() => EmulatedRig.StartAsync(definition, new EmulatorOptions { StateDirectory = folder.Path, TrustAnchors = other }, ct));
        Assert.That(refused!.Message, Does.Contain("were made for").And.Contain("another seed"));
        Assert.That(Directory.EnumerateFiles(folder.Path), Is.Empty, "no device state was made");
    }
}

using SecDcc.Dcc.Service.Hosting;
using SecDcc.Dcc.Service.Wan;
using SecDcc.Smki.Pki;
using Eui64 = SecDcc.Drivers.Link.Eui64;

namespace SecDcc.Dcc.Tests.Wan;

/// <summary>--wan-recovery-id: the Entity Identifiers of the DCC's Recovery Certificates, which AC 5.4 judges recovery cells by.</summary>
public sealed class WanOptionsTests
{
    [Test]
    public void Recovery_identifiers_are_read_and_test_mode_knows_the_test_pkis_without_them()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Options("--test-mode", "--wan-port", "0").RecoveryIds, Is.EqualTo(new[] { TestPkiOptions.DefaultRecoveryId }));
            Assert.That(Options("--test-mode", "--wan-port", "0", "--wan-recovery-id", "90-B3-D5-1F-30-00-00-11", "--wan-recovery-id", "90-B3-D5-1F-30-00-00-12").RecoveryIds,
                Is.EqualTo(new[] { Eui64.Parse("90-B3-D5-1F-30-00-00-11"), Eui64.Parse("90-B3-D5-1F-30-00-00-12") }));
        });
    }

    [Test]
    public void A_recovery_identifier_that_is_not_an_eui_64_is_refused_saying_how_to_write_one()
    {
        var (service, parseError) = ServiceOptions.Parse(["--data", "smi.db", "--test-mode", "--wan-port", "0", "--wan-recovery-id", "recovery"]);
        Assert.That(parseError, Is.Null);
        var (options, error) = WanOptions.From(service!);
        Assert.That(options, Is.Null);
        Assert.That(error, Does.Contain("--wan-recovery-id 'recovery'").And.Contain("eight hex pairs"));
    }

    private static WanOptions Options(params string[] args)
    {
        var (service, parseError) = ServiceOptions.Parse(["--data", "smi.db", .. args]);
        Assert.That(parseError, Is.Null);
        var (options, error) = WanOptions.From(service!);
        Assert.That(error, Is.Null);
        return options!;
    }
}

using NUnit.Framework;
using SecDcc.Steps.Support;

namespace SecDcc.Cli.Tests;

/// <summary>How the program tells a bundle from a checkout, and how it starts the reference DCC in each.</summary>
public sealed class SuiteLayoutTests
{
    private string _root = "";

    [SetUp]
    public void CreateFolder() => _root = Directory.CreateTempSubdirectory("secdcc-layout-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_root, recursive: true);

    [Test]
    public void The_bundle_is_the_folder_above_app_that_holds_the_marker()
    {
        var app = Directory.CreateDirectory(Path.Combine(_root, "app")).FullName;
        File.WriteAllText(Path.Combine(_root, SuiteLayout.BundleMarker), "{}");

        Assert.That(SuiteLayout.FindBundleRoot(app), Is.EqualTo(_root));
    }

    [Test]
    public void A_folder_without_the_marker_is_not_a_bundle()
    {
        var app = Directory.CreateDirectory(Path.Combine(_root, "app")).FullName;

        Assert.That(SuiteLayout.FindBundleRoot(app), Is.Null);
    }

    [Test]
    public void A_marker_further_up_does_not_make_a_build_output_a_bundle()
    {
        // e.g. a checkout's bin/Debug/net10.0 inside a folder that happens to hold a bundle's marker higher up
        var output = Directory.CreateDirectory(Path.Combine(_root, "bin", "Debug", "net10.0")).FullName;
        File.WriteAllText(Path.Combine(_root, SuiteLayout.BundleMarker), "{}");

        Assert.That(SuiteLayout.FindBundleRoot(output), Is.Null);
    }

    [Test]
    public void A_self_contained_service_is_started_through_its_own_executable()
    {
        var dll = Path.Combine(_root, "SecDcc.Dcc.Service.dll");
        foreach (var file in new[] { dll, Path.Combine(_root, "SecDcc.Dcc.Service"), Path.Combine(_root, "libhostpolicy.so") })
            File.WriteAllText(file, "");

        var start = DccProcess.ServiceStartInfo(dll);

        Assert.That(start.FileName, Is.EqualTo(Path.Combine(_root, "SecDcc.Dcc.Service")));
        Assert.That(start.ArgumentList, Is.Empty);
    }

    [Test]
    public void A_framework_dependent_service_is_started_through_dotnet()
    {
        // a checkout's build output: an apphost exists, but it needs an installed runtime
        var dll = Path.Combine(_root, "SecDcc.Dcc.Service.dll");
        File.WriteAllText(dll, "");
        File.WriteAllText(Path.Combine(_root, "SecDcc.Dcc.Service"), "");

        var start = DccProcess.ServiceStartInfo(dll);

        Assert.That(start.FileName, Is.EqualTo("dotnet"));
        Assert.That(start.ArgumentList, Is.EqualTo(new[] { dll }));
    }

    [Test]
    public void This_test_run_is_not_taken_for_a_bundle()
    {
        // dotnet test runs from a checkout's build output, which must keep its checkout behaviour
        Assert.That(SuiteLayout.BundleRoot, Is.Null);
    }
}

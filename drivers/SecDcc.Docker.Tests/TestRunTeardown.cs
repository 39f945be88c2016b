using SecDcc.Docker.Tests.Support;

namespace SecDcc.Docker.Tests;

/// <summary>Closes the shared engine connection once every test in the assembly has run.</summary>
[SetUpFixture]
public sealed class TestRunTeardown
{
    [OneTimeTearDown]
    public void DisposeEngine() => DockerTestEngine.DisposeEngine();
}

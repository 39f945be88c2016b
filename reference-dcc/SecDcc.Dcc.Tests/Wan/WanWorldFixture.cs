namespace SecDcc.Dcc.Tests.Wan;

/// <summary>
/// One reference DCC process with its SM WAN gateway for all the tests of a class, started before the first and stopped
/// after the last: starting a DCC takes longer than most of the tests themselves.
/// </summary>
[NonParallelizable]
public abstract class WanWorldFixture
{
    protected WanWorld _world = null!;

    [OneTimeSetUp]
    public async Task StartWanWorldAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _world = await WanWorld.StartAsync(timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopWanWorldAsync()
    {
        if (_world is not null)
            await _world.DisposeAsync();
    }
}

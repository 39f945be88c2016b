using SecDcc.Drivers.Interop;
using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Tests.Serial;

/// <summary>A hang-up must end in an error, never in a loop that polls, finds nothing, and polls again.</summary>
[TestFixture]
[CancelAfter(20_000)]
internal sealed class HangUpDetectionTests
{
    [TestCase(PollEvents.POLLIN, PollEvents.POLLIN, WaitOutcome.Ready)]
    [TestCase((short)(PollEvents.POLLIN | PollEvents.POLLHUP), PollEvents.POLLIN, WaitOutcome.Ready)]
    [TestCase(PollEvents.POLLHUP, PollEvents.POLLIN, WaitOutcome.Trouble)]
    [TestCase(PollEvents.POLLERR, PollEvents.POLLOUT, WaitOutcome.Trouble)]
    [TestCase(PollEvents.POLLNVAL, PollEvents.POLLIN, WaitOutcome.Trouble)]
    [TestCase(PollEvents.POLLOUT, PollEvents.POLLOUT, WaitOutcome.Ready)]
    public void Poll_answers_are_read_as_ready_or_trouble(short revents, short wanted, WaitOutcome expected) =>
        Assert.That(FdReactor.Classify(revents, wanted), Is.EqualTo(expected));

    [Test]
    public void Nothing_reported_is_no_answer() => Assert.That(FdReactor.Classify(0, PollEvents.POLLIN), Is.Null);

    [Test]
    public async Task A_master_whose_slave_was_closed_reads_as_hung_up()
    {
        // Without the helper's kept slave descriptor, the last close of the slave hangs up the master:
        // it polls POLLHUP and reads EIO.
        var fd = Libc.PosixOpenPt(OpenFlags.O_RDWR | OpenFlags.O_NOCTTY | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC);
        if (fd < 0)
        {
            Assert.Ignore($"no pseudo-terminals here: {Errno.Describe(Errno.Last)}");
        }

        var handle = SafeFdHandle.FromResult(fd);
        Assert.That(Libc.GrantPt(handle) | Libc.UnlockPt(handle), Is.Zero);
        Span<byte> name = stackalloc byte[128];
        Assert.That(Libc.PtsNameR(handle, ref name[0], (nuint)name.Length), Is.Zero);
        var slavePath = System.Text.Encoding.UTF8.GetString(name[..name.IndexOf((byte)0)]);
        SerialPort.Open(slavePath, new SerialSettings()).Dispose();
        using var master = SerialPort.FromPseudoTerminalMaster(handle, "lonely pty master");

        var e = Assert.CatchAsync<SerialPortException>(
            async () => await master.ReadAsync(new byte[8]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.That(e!.Error, Is.EqualTo(SerialError.HungUp));
        Assert.That(e.Message, Does.Contain("lonely pty master"));
        Assert.That(master.IsHungUp, Is.True);
    }
}

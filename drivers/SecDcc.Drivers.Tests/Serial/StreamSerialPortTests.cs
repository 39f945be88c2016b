using System.Net;
using System.Net.Sockets;
using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Tests.Serial;

/// <summary>A TCP link stands in for a serial line behind the same interface.</summary>
[TestFixture]
[CancelAfter(20_000)]
public sealed class StreamSerialPortTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_tcp_link_reads_writes_times_out_and_hangs_up_like_a_port()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var server = await listener.AcceptTcpClientAsync();
        ISerialPort harness = new StreamSerialPort(client.GetStream(), "tcp wan bridge", new SerialSettings { ReadTimeout = TimeSpan.FromMilliseconds(100) });
        ISerialPort hub = new StreamSerialPort(server.GetStream(), "tcp hub");

        await harness.WriteAsync("hello"u8.ToArray());
        var got = await SerialPortTests.ReadExactly(hub, 5).WaitAsync(Deadline);
        var timeout = Assert.ThrowsAsync<TimeoutException>(async () => await harness.ReadAsync(new byte[4]));
        hub.Dispose();
        var hangUp = Assert.CatchAsync<SerialPortException>(async () => await harness.ReadAsync(new byte[4]).AsTask().WaitAsync(Deadline));

        Assert.Multiple(() =>
        {
            Assert.That(got, Is.EqualTo("hello"u8.ToArray()));
            Assert.That(timeout!.Message, Does.Contain("tcp wan bridge").And.Contain("100 ms"));
            Assert.That(hangUp!.Error, Is.EqualTo(SerialError.HungUp));
            Assert.That(harness.IsHungUp, Is.True);
        });
        harness.Dispose();
    }
}

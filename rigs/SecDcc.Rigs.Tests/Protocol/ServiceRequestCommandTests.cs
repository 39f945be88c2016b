using SecDcc.DeviceProtocol.Messages;
using SecDcc.Drivers.Link;

namespace SecDcc.Rigs.Tests.Protocol;

public sealed class ServiceRequestCommandTests
{
    private static readonly RequestId Id = RequestId.Parse("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-00-03:1001");
    private static readonly Eui64 Ihd = Eui64.Parse("00-DB-12-34-56-78-00-06");

    [TestCase("8.11", typeof(UpdateHanDeviceLog))]
    [TestCase("8.7.1", typeof(JoinDevice))]
    [TestCase("8.7.2", typeof(JoinDevice))]
    [TestCase("8.8.1", typeof(UnjoinDevice))]
    [TestCase("8.1.1", typeof(CommissionDevice))]
    [TestCase("8.9", typeof(ReadDeviceLog))]
    [TestCase("8.12.1", typeof(RestoreDeviceLog))]
    [TestCase("6.15.1", typeof(UpdateSecurityCredentials))]
    [TestCase("6.23", typeof(UpdateSecurityCredentials))]
    [TestCase("6.17", typeof(IssueSecurityCredentials))]
    [TestCase("6.24.2", typeof(ReadSecurityCredentials))]
    public void Each_device_service_request_in_scope_becomes_its_command(string srv, Type expected)
    {
        var arguments = new ServiceRequestArguments { Device = Ihd, DeviceType = DeviceType.IHD };
        Assert.That(ServiceRequestCommands.TryCreate(srv, Id, arguments, out var command, out var problem), Is.True, problem);
        Assert.Multiple(() =>
        {
            Assert.That(command, Is.TypeOf(expected));
            Assert.That(command!.RequestId, Is.EqualTo(Id));
            Assert.That(command.ServiceReference, Does.StartWith(srv.Length > 4 && srv != "8.1.1" ? srv[..3] : srv));
        });
    }

    [Test]
    public void A_join_without_a_device_type_says_what_is_missing()
    {
        Assert.That(ServiceRequestCommands.TryCreate("8.7.1", Id, new ServiceRequestArguments { Device = Ihd }, out _, out var problem), Is.False);
        Assert.That(problem, Does.Contain("gives no Device Type for 00-DB-12-34-56-78-00-06"));
    }

    [Test]
    public void A_service_request_the_protocol_does_not_carry_is_named()
    {
        Assert.That(ServiceRequestCommands.TryCreate("4.1.1", Id, new ServiceRequestArguments(), out _, out var problem), Is.False);
        Assert.That(problem, Does.Contain("4.1.1 has no command").And.Contain("8.11"));
    }
}

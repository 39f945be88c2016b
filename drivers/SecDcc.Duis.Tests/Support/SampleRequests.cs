using SecDcc.Duis.Keys;
using SecDcc.Duis.Messages;

namespace SecDcc.Duis.Tests.Support;

/// <summary>One request per builder in scope, with the optional fields filled where the schema has them.</summary>
public static class SampleRequests
{
    public static readonly Eui64 Esme = Eui64.Parse("00-DB-12-34-56-78-90-A0");
    public static readonly Eui64 Chf = Eui64.Parse("00-DB-12-34-56-78-90-A2");
    public static readonly Eui64 Gpf = Eui64.Parse("00-DB-12-34-56-78-90-A1");
    private static readonly DateTimeOffset When = new(2026, 3, 1, 10, 30, 0, TimeSpan.Zero);
    private static readonly byte[] Der = Convert.FromBase64String("MIIBoTCCAUagAwIBAgIQMDmCNnRNnaDlf410rgQfzQ==");

    /// <summary>(name, request) pairs; names are stable so test cases keep their ids.</summary>
    public static IEnumerable<(string Name, DuisRequest Request)> All(Eui64 originator)
    {
        var counter = 1000UL;
        RequestId ToDcc() => new(originator, Zaz1Parties.Dcc, counter++);
        RequestId ToDevice(Eui64 device) => new(originator, device, counter++);

        yield return ("12.2 DevicePreNotification", DuisRequest.Create(ToDcc(),
            new DevicePreNotification(Esme, "AB01", "010A030B", DeviceType.Esme, "SMETS V1.58", "0002012F", "AD")));
        yield return ("12.2 DevicePreNotification GPF", DuisRequest.Create(ToDcc(),
            new DevicePreNotification(Gpf, "AB02", "0203", DeviceType.Gpf, AssociatedGpfDeviceId: null)));
        yield return ("8.1.1 CommissionDevice", DuisRequest.Create(ToDevice(Esme), new CommissionDevice(When, 60)));
        yield return ("8.2 ReadInventory DeviceID", DuisRequest.Create(ToDcc(), ReadInventory.ByDeviceId(Chf)));
        yield return ("8.2 ReadInventory MPxN", DuisRequest.Create(ToDcc(), ReadInventory.ByMpxn("1312345678111")));
        yield return ("8.2 ReadInventory UPRN", DuisRequest.Create(ToDcc(), ReadInventory.ByUprn(123456789012)));
        yield return ("8.2 ReadInventory property", DuisRequest.Create(ToDcc(), ReadInventory.ByProperty("SW1A 1AA", "10")));
        yield return ("8.3 DecommissionDevice", DuisRequest.Create(ToDcc(), new DecommissionDevice(Esme)));
        yield return ("8.4 UpdateDeviceStatusExceptCH", DuisRequest.Create(ToDcc(),
            new UpdateInventory(Esme, new UpdateDeviceStatusExceptCh(DeviceStatus.InstalledNotCommissioned))));
        yield return ("8.4 UpdateDeviceStatusCH", DuisRequest.Create(ToDcc(),
            new UpdateInventory(Chf, new UpdateDeviceStatusCh(DeviceStatus.Withdrawn))));
        yield return ("8.4 UpdateDeviceDetails", DuisRequest.Create(ToDcc(),
            new UpdateInventory(Esme, new UpdateDeviceDetails("AB01", "010A030C", "SMETS V4.1", "00020130", "A"))));
        yield return ("8.4 DeleteDevice", DuisRequest.Create(ToDcc(), new UpdateInventory(Esme, new DeleteDevice())));
        yield return ("8.4 UpdateMPxN", DuisRequest.Create(ToDcc(),
            new UpdateInventory(Esme, new UpdateMpxn(MpxnKind.ExportMpan, "1312345678999"))));
        yield return ("8.7.1 JoinServiceCritical", DuisRequest.Create(ToDevice(Esme), new JoinService(true, Eui64.Parse("00-DB-12-34-56-78-90-9A"))));
        yield return ("8.7.2 JoinServiceNonCritical", DuisRequest.Create(ToDevice(Esme), new JoinService(false, Eui64.Parse("00-DB-12-34-56-78-90-9B"))));
        yield return ("8.8.1 UnjoinServiceCritical", DuisRequest.Create(ToDevice(Esme), new UnjoinService(true, Eui64.Parse("00-DB-12-34-56-78-90-9A"))));
        yield return ("8.8.2 UnjoinServiceNonCritical", DuisRequest.Create(ToDevice(Esme), new UnjoinService(false, Eui64.Parse("00-DB-12-34-56-78-90-9B"))));
        yield return ("8.9 ReadDeviceLog", DuisRequest.Create(ToDevice(Chf), new ReadDeviceLog()));
        yield return ("8.9 ReadDeviceLog future-dated", DuisRequest.Create(ToDevice(Chf), new ReadDeviceLog(When, ReadSecurityDetails: true)));
        yield return ("8.11 UpdateHANDeviceLog add", DuisRequest.Create(ToDevice(Chf),
            new UpdateHanDeviceLog(Esme, HanDeviceLogRequestType.Add,
                new ChfWhitelistEntry(90, Convert.FromHexString("30313233343536373839414243444546"), "1312345678111", "1312345678222"))));
        yield return ("8.11 UpdateHANDeviceLog remove", DuisRequest.Create(ToDevice(Chf),
            new UpdateHanDeviceLog(Esme, HanDeviceLogRequestType.Remove, ExecutionDateTime: When)));
        yield return ("8.12.1 RestoreHANDeviceLog", DuisRequest.Create(ToDevice(Chf), new RestoreHanDeviceLog(Eui64.Parse("00-DB-12-34-56-78-90-B2"))));
        yield return ("8.12.2 RestoreGPFDeviceLog", DuisRequest.Create(ToDevice(Gpf), new RestoreGpfDeviceLog(Eui64.Parse("00-DB-12-34-56-78-90-B1"))));
        yield return ("8.13 ReturnLocalCommandResponse", DuisRequest.Create(ToDcc(),
            new ReturnLocalCommandResponse([0xDF, 0x09, 0x02, 0x00], new RequestId(originator, Esme, 999))));
        yield return ("8.14.1 CHFInstallSuccessSMWAN", DuisRequest.Create(ToDcc(),
            new ChfInstallSuccess(Chf, CommsHubTexts.NewChfInstall, "1000999888", true, CommsHubTexts.BasementOrCellar, When, "REF-1", "51.5,-0.1", "installed")));
        yield return ("8.14.2 CHFInstallSuccessNoSMWAN", DuisRequest.Create(ToDcc(),
            new ChfInstallNoSmWan(Chf, CommsHubTexts.ChfInstallNoSmWan, "1000999888", false, CommsHubTexts.DeepIndoors,
                CommsHubTexts.Terraced, true, false, false, When)));
        yield return ("8.14.3 CHFFaultReturn", DuisRequest.Create(ToDcc(),
            new ChfFaultReturn(Chf, CommsHubTexts.FaultPriorToInstallation, Esme, CommsHubTexts.HotShoe, CommsHubTexts.DamagedCase, When, "REF-2", "INC-7")));
        yield return ("8.14.4 CHFNoFaultReturn", DuisRequest.Create(ToDcc(),
            new ChfNoFaultReturn(Chf, CommsHubTexts.NoFaultReturnGeneral, When, "REF-3", "INC-8", "returned")));
        yield return ("6.15.1 UpdateSecurityCredentialsKRP", DuisRequest.Create(ToDevice(Esme),
            new UpdateSecurityCredentialsKrp(CredentialsRemotePartyRole.Supplier, new ReplacementCertificates(Der, Der, Der), [Der], false, 0, 0)));
        yield return ("6.15.2 UpdateSecurityCredentialsDevice", DuisRequest.Create(ToDevice(Esme), new UpdateSecurityCredentialsDevice(Der)));
        yield return ("6.17 IssueSecurityCredentials", DuisRequest.Create(ToDevice(Esme), new IssueSecurityCredentials(CredentialType.DigitalSignature)));
        yield return ("6.23 UpdateSecurityCredentialsCoS", DuisRequest.Create(ToDevice(Esme),
            new UpdateSecurityCredentialsCoS(0, new ReplacementCertificates(Der, Der), [Der, Der], true, "1312345678333", 0)));
        yield return ("6.24.1 RetrieveDeviceSecurityCredentialsKRP", DuisRequest.Create(ToDevice(Esme),
            new RetrieveDeviceSecurityCredentialsKrp([CredentialsRemotePartyRole.Supplier, CredentialsRemotePartyRole.NetworkOperator])));
        yield return ("6.24.2 RetrieveDeviceSecurityCredentialsDevice", DuisRequest.Create(ToDevice(Esme),
            new RetrieveDeviceSecurityCredentialsDevice(CredentialType.KeyAgreement)));
    }

    public static IEnumerable<TestCaseData> Cases() =>
        All(Zaz1Parties.Supplier).Select(c => new TestCaseData(c.Request).SetArgDisplayNames(c.Name));
}

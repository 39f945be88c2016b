using System.Globalization;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Service.Devices;
using SecDcc.Duis.Messages;
using static SecDcc.Dcc.Service.Duis.NonDevice.InventoryMapping;
using DomainType = SecDcc.Dcc.Inventory.DeviceType;

namespace SecDcc.Dcc.Service.Duis.Devices;

/// <summary>
/// The device Service Requests: each becomes a transport-neutral <see cref="DeviceRequest"/> submitted to the SM WAN
/// through <see cref="IDeviceRequests"/>, and is acknowledged (I99) once the WAN has accepted it; the Device's Response
/// comes back later through <see cref="DuisDeviceResponses"/>. With no SM WAN gateway in the process, the DCC still
/// applies AC 2.7 (no communication to a Device not in the SMI) and otherwise says the SM WAN is not available.
/// </summary>
public sealed class DeviceServiceRequests(ReferenceDcc dcc, IServiceProvider services)
{
    public static readonly IReadOnlySet<string> Variants = new HashSet<string>(StringComparer.Ordinal)
    {
        "8.1.1", "8.7.1", "8.7.2", "8.8.1", "8.8.2", "8.9", "8.11", "8.12.1", "8.12.2",
        "6.15.1", "6.15.2", "6.17", "6.23", "6.24.1", "6.24.2",
    };

    // Resolved per request, not injected: the gateway may be registered after the DUIS interface, or not at all.
    private IDeviceRequests? Gateway => services.GetService<IDeviceRequests>();

    public async Task<ServiceOutcome> HandleAsync(AdmittedRequest request, CancellationToken ct)
    {
        var device = Device(request.Header.RequestId.Target);
        var gateway = Gateway;
        if (gateway is null)
        {
            var guard = await dcc.Inventory.EnsureMayCommunicateAsync(device, CommunicationPurpose.Operational, ct);
            if (!guard.IsSuccess)
                return ServiceOutcome.Rejected(guard.Refusal!);
            return DuisRejection.SmWanUnavailable(
                $"The DCC accepted the request but cannot send the Command to {device}: no SM WAN gateway is running in this DCC. " +
                "Start the DCC with its SM WAN gateway, or use the JSON API's test-mode device events.");
        }
        var targetDevice = await dcc.Inventory.ReadInventoryAsync(device, ct);
        var submitted = await gateway.SubmitAsync(ToDeviceRequest(request, device, targetDevice.IsSuccess ? targetDevice.Value.Type : null), ct);
        return submitted.IsSuccess
            ? ServiceOutcome.Acknowledged($"Command sent to {submitted.Value.Target} at {submitted.Value.SentAt:O}; the Device's Response follows.")
            : ServiceOutcome.Rejected(submitted.Refusal!);
    }

    /// <summary>
    /// The SRV's values in the seam's terms (decision 1004), as the SM WAN gateway reads them: named parameters, and as
    /// the payload the bytes the Command carries (8.11's install code, the DER certificate of 6.15.x and 6.23).
    /// </summary>
    /// <param name="targetType">The RequestID target's Device Type, when the SMI lists it: a Join to a Smart Meter or GPF names the joining Device, a Join to another Device names the meter it joins.</param>
    public static DeviceRequest ToDeviceRequest(AdmittedRequest request, DeviceId target, DomainType? targetType)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        byte[] payload = [];
        var ownsLog = targetType is { } t && (t.IsSmartMeter() || t == DomainType.GPF);
        switch (request.Request.Body)
        {
            case CommissionDevice c:
                parameters["currentDateTime"] = c.CurrentDateTime.ToString("O", CultureInfo.InvariantCulture);
                parameters["tolerancePeriod"] = c.TolerancePeriodSeconds.ToString(CultureInfo.InvariantCulture);
                break;
            case JoinService j:
                parameters[ownsLog ? "device" : "joinTo"] = j.OtherDeviceId.ToString();
                parameters["otherDevice"] = j.OtherDeviceId.ToString();
                break;
            case UnjoinService u:
                parameters[ownsLog ? "device" : "joinTo"] = u.OtherDeviceId.ToString();
                parameters["otherDevice"] = u.OtherDeviceId.ToString();
                break;
            case ReadDeviceLog r:
                parameters["readSecurityDetails"] = r.ReadSecurityDetails ? "true" : "false";
                break;
            case UpdateHanDeviceLog h:
                parameters["device"] = h.DeviceId.ToString();
                parameters["action"] = h.RequestType == HanDeviceLogRequestType.Add ? "add" : "remove";
                if (h.AddToWhitelist is { } w)
                {
                    // In the SMI's order, import then export (AC 4.3(b)); a secondary import MPAN travels on its own.
                    var mpxns = new[] { w.ImportMpxn, w.ExportMpan }.OfType<string>().ToList();
                    if (mpxns.Count > 0)
                        parameters["mpxns"] = string.Join(',', mpxns);
                    if (w.SecondaryImportMpan is { } secondary)
                        parameters["secondaryImportMpan"] = secondary;
                    parameters["joinTimePeriod"] = w.JoinTimePeriodSeconds.ToString(CultureInfo.InvariantCulture);
                    payload = w.InstallCode;
                }
                break;
            case UpdateSecurityCredentialsKrp k:
                parameters["cell"] = Cell(k.RemotePartyRole);
                payload = k.Replacement.DigitalSigningCertificate ?? k.Replacement.KeyAgreementCertificate ?? k.Replacement.KeyAgreementTopUpCertificate ?? [];
                break;
            case UpdateSecurityCredentialsDevice d:
                parameters["cell"] = DeviceCertificateCell;
                payload = d.DeviceCertificate;
                break;
            case UpdateSecurityCredentialsCoS c:
                parameters["cell"] = Cell(CredentialsRemotePartyRole.Supplier);
                payload = c.SupplierReplacement.DigitalSigningCertificate ?? [];
                break;
            case RetrieveDeviceSecurityCredentialsKrp r:
                parameters["cells"] = string.Join(',', r.RemotePartyRoles.Select(Cell));
                break;
            case RetrieveDeviceSecurityCredentialsDevice:
                parameters["cells"] = DeviceCertificateCell;
                break;
            case RestoreHanDeviceLog r:
                parameters["oldChf"] = r.OldChfId.ToString();
                break;
            case RestoreGpfDeviceLog r:
                parameters["oldGpf"] = r.OldGpfId.ToString();
                break;
        }
        if (ExecutionDateTime(request.Request.Body) is { } when)
            parameters["executionDateTime"] = when.ToString("O", CultureInfo.InvariantCulture);
        parameters["commandVariant"] = request.Header.CommandVariant.ToString(CultureInfo.InvariantCulture);
        return new DeviceRequest(request.Header.RequestId.ToString(), request.Srv, request.Actor, target, parameters) { Payload = payload };
    }

    /// <summary>The device's own certificate, as the gateway names it among a device's credential cells.</summary>
    public const string DeviceCertificateCell = "deviceCertificate";

    /// <summary>The Trust Anchor Cell a Remote Party Role's certificate lives in, by the gateway's names.</summary>
    public static string Cell(CredentialsRemotePartyRole role) => role switch
    {
        CredentialsRemotePartyRole.Root => "root",
        CredentialsRemotePartyRole.Recovery => "recovery",
        CredentialsRemotePartyRole.Acb => "accessControlBroker",
        CredentialsRemotePartyRole.TransCoS => "transitionalCoS",
        CredentialsRemotePartyRole.Supplier => "supplier",
        CredentialsRemotePartyRole.NetworkOperator => "networkOperator",
        _ => "loadController",
    };

    private static DateTimeOffset? ExecutionDateTime(IDuisRequestBody body) => body switch
    {
        ReadDeviceLog r => r.ExecutionDateTime,
        UpdateHanDeviceLog h => h.ExecutionDateTime,
        UpdateSecurityCredentialsKrp k => k.ExecutionDateTime,
        UpdateSecurityCredentialsCoS c => c.ExecutionDateTime,
        _ => null,
    };
}

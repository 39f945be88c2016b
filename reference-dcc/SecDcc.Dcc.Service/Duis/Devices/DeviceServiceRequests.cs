using System.Globalization;
using System.Text;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Service.Devices;
using SecDcc.Duis.Messages;
using static SecDcc.Dcc.Service.Duis.NonDevice.InventoryMapping;

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
        var submitted = await gateway.SubmitAsync(ToDeviceRequest(request, device), ct);
        return submitted.IsSuccess
            ? ServiceOutcome.Acknowledged($"Command sent to {submitted.Value.Target} at {submitted.Value.SentAt:O}; the Device's Response follows.")
            : ServiceOutcome.Rejected(submitted.Refusal!);
    }

    /// <summary>The SRV's values in the seam's terms (decision 1004): parameters the WAN reads by name, and the body as the payload.</summary>
    public static DeviceRequest ToDeviceRequest(AdmittedRequest request, DeviceId target)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (request.Request.Body)
        {
            case CommissionDevice c:
                parameters["currentDateTime"] = c.CurrentDateTime.ToString("O", CultureInfo.InvariantCulture);
                parameters["tolerancePeriod"] = c.TolerancePeriodSeconds.ToString(CultureInfo.InvariantCulture);
                break;
            case JoinService j:
                parameters["joinTo"] = j.OtherDeviceId.ToString();
                parameters["otherDevice"] = j.OtherDeviceId.ToString();
                break;
            case UnjoinService u:
                parameters["unjoinFrom"] = u.OtherDeviceId.ToString();
                parameters["otherDevice"] = u.OtherDeviceId.ToString();
                break;
            case ReadDeviceLog r:
                parameters["readSecurityDetails"] = r.ReadSecurityDetails ? "true" : "false";
                break;
            case UpdateHanDeviceLog h:
                parameters["device"] = h.DeviceId.ToString();
                parameters["action"] = h.RequestType.ToString();
                if (h.AddToWhitelist is { } w)
                {
                    // In the SMI's order, import then export (AC 4.3(b)); a secondary import MPAN travels on its own.
                    var mpxns = new[] { w.ImportMpxn, w.ExportMpan }.OfType<string>().ToList();
                    if (mpxns.Count > 0)
                        parameters["mpxns"] = string.Join(',', mpxns);
                    if (w.SecondaryImportMpan is { } secondary)
                        parameters["secondaryImportMpan"] = secondary;
                    parameters["joinTimePeriod"] = w.JoinTimePeriodSeconds.ToString(CultureInfo.InvariantCulture);
                    parameters["installCode"] = Convert.ToHexString(w.InstallCode);
                }
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
        return new DeviceRequest(request.Header.RequestId.ToString(), request.Srv, request.Actor, target, parameters)
        {
            Payload = Encoding.UTF8.GetBytes(request.Request.Body.ToXml().ToString(System.Xml.Linq.SaveOptions.DisableFormatting)),
        };
    }

    private static DateTimeOffset? ExecutionDateTime(IDuisRequestBody body) => body switch
    {
        ReadDeviceLog r => r.ExecutionDateTime,
        UpdateHanDeviceLog h => h.ExecutionDateTime,
        UpdateSecurityCredentialsKrp k => k.ExecutionDateTime,
        UpdateSecurityCredentialsCoS c => c.ExecutionDateTime,
        _ => null,
    };
}

using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Persistence;

namespace SecDcc.Dcc.Rules;

/// <summary>AC 2.10, 4.3(b), 11.1 and 11.2: who is told what.</summary>
public static class NotificationRules
{
    /// <summary>
    /// The Electricity Distributor or Gas Transporter for an MPAN/MPRN: the registered network operator with the
    /// longest matching prefix (for MPANs the first two digits are the distributor ID). None registered gives a
    /// recipient with no Party, so the notice is still recorded and visibly unaddressed.
    /// </summary>
    public static Recipient NetworkOperatorFor(string mpxn, bool gas, IReadOnlyList<NetworkOperator> operators)
    {
        var op = operators.Where(o => o.Gas == gas && mpxn.StartsWith(o.Prefix, StringComparison.Ordinal))
            .OrderByDescending(o => o.Prefix.Length).FirstOrDefault();
        return new Recipient(gas ? RecipientKind.GasTransporter : RecipientKind.ElectricityDistributor, op?.Party);
    }

    /// <summary>One notice per network operator for the given MPxNs.</summary>
    private static IEnumerable<(Recipient Recipient, List<string> Mpxns)> ByOperator(IEnumerable<string> mpxns, bool gas, IReadOnlyList<NetworkOperator> operators) =>
        mpxns.Distinct().Select(m => (Recipient: NetworkOperatorFor(m, gas, operators), Mpxn: m))
            .GroupBy(x => x.Recipient)
            .Select(g => (g.Key, g.Select(x => x.Mpxn).ToList()));

    /// <summary>AC 4.3(b): the MPxN(s), Device ID and Device Type of a Smart Meter just added to a CHF's Device Log.</summary>
    public static IEnumerable<Notification> MpxnRecorded(Device meter, IReadOnlyList<NetworkOperator> operators, DateTimeOffset now) =>
        ByOperator(meter.Mpxns, meter.Type.IsGas(), operators).Select(x => new Notification
        {
            CreatedAt = now,
            Kind = NotificationKind.MpxnRecorded,
            Clause = "AC-4.3(b)",
            Recipient = x.Recipient,
            DeviceId = meter.Id,
            Message = $"{meter.Type} {meter.Id} is recorded against {(meter.Type.IsGas() ? "MPRN" : "MPAN")} {string.Join(", ", x.Mpxns)}.",
            Data = new Dictionary<string, string> { ["deviceId"] = meter.Id.ToString(), ["deviceType"] = meter.Type.ToString(), ["mpxns"] = string.Join(",", x.Mpxns) },
        });

    /// <summary>AC 2.10: a corrected relationship between a Smart Meter and MPxNs, to the operator of every affected MPxN (old and new).</summary>
    public static IEnumerable<Notification> MpxnCorrected(Device before, Device after, IReadOnlyList<NetworkOperator> operators, DateTimeOffset now) =>
        ByOperator(before.Mpxns.Concat(after.Mpxns), after.Type.IsGas(), operators).Select(x => new Notification
        {
            CreatedAt = now,
            Kind = NotificationKind.MpxnCorrected,
            Clause = "AC-2.10",
            Recipient = x.Recipient,
            DeviceId = after.Id,
            Message = $"The MPxNs of {after.Type} {after.Id} were corrected from [{string.Join(", ", before.Mpxns)}] to [{string.Join(", ", after.Mpxns)}].",
            Data = new Dictionary<string, string>
            {
                ["deviceId"] = after.Id.ToString(), ["deviceType"] = after.Type.ToString(),
                ["previousMpxns"] = string.Join(",", before.Mpxns), ["mpxns"] = string.Join(",", after.Mpxns), ["affectedMpxns"] = string.Join(",", x.Mpxns),
            },
        });

    /// <summary>AC 11.1 (Smart Meters, to the ED/GT) and, for a Suspension, AC 11.2 (every Device, to its Responsible Supplier(s)).</summary>
    public static IEnumerable<Notification> StatusNotices(Device after, IReadOnlyList<NetworkOperator> operators, DateTimeOffset now)
    {
        var kind = after.Status switch
        {
            SmiStatus.Decommissioned => NotificationKind.SmartMeterDecommissioned,
            SmiStatus.Withdrawn => NotificationKind.SmartMeterWithdrawn,
            SmiStatus.Suspended => NotificationKind.SmartMeterSuspended,
            _ => (NotificationKind?)null,
        };
        if (kind is null)
            yield break;
        if (after.Type.IsSmartMeter())
        {
            var operatorsOfMeter = after.Mpxns.Count == 0
                ? [(new Recipient(after.Type.IsGas() ? RecipientKind.GasTransporter : RecipientKind.ElectricityDistributor, null), new List<string>())]
                : ByOperator(after.Mpxns, after.Type.IsGas(), operators).ToList();
            foreach (var (recipient, mpxns) in operatorsOfMeter)
                yield return new Notification
                {
                    CreatedAt = now,
                    Kind = kind.Value,
                    Clause = "AC-11.1",
                    Recipient = recipient,
                    DeviceId = after.Id,
                    Message = $"Smart Meter {after.Id} ({after.Type}{(mpxns.Count > 0 ? ", " + string.Join(", ", mpxns) : "")}) is {after.Status}.",
                    Data = new Dictionary<string, string> { ["deviceId"] = after.Id.ToString(), ["status"] = after.Status.ToString()!, ["mpxns"] = string.Join(",", mpxns) },
                };
        }
        if (after.Status == SmiStatus.Suspended)
            foreach (var supplier in after.ResponsibleSuppliers.Distinct())
                yield return new Notification
                {
                    CreatedAt = now,
                    Kind = NotificationKind.DeviceSuspended,
                    Clause = "AC-11.2",
                    Recipient = new Recipient(RecipientKind.ResponsibleSupplier, supplier),
                    DeviceId = after.Id,
                    Message = $"{after.Type} {after.Id} is Suspended: its Device Model {after.Model} is not on the Central Products List. It returns to '{after.StatusBeforeSuspension}' when the model is back on the list (AC 8.3).",
                    Data = new Dictionary<string, string> { ["deviceId"] = after.Id.ToString(), ["statusBeforeSuspension"] = after.StatusBeforeSuspension?.ToString() ?? "" },
                };
    }
}

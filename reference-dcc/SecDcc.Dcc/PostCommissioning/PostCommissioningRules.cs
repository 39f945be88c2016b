using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;

namespace SecDcc.Dcc.PostCommissioning;

/// <summary>
/// AC 5.2–5.4, 5.7–5.8, 5.13, 5.14 and 6.2 as plain functions of a Device, its <see cref="CredentialFacts"/> and the time.
/// docs/decisions/1200 says how each reads the text.
/// </summary>
public static class PostCommissioningRules
{
    /// <summary>
    /// "Within 7 days following the Commissioning" (5.2, 5.3, 5.4, 6.2) and "Commissioned for a period of 7 days or more" (5.7).
    /// The window is half-open, [Commissioning, Commissioning + 7 days): at the instant the 7 days are over a Device is listed
    /// (5.7) and a step not yet done is overdue (5.13, 5.14), with no instant that is both inside and over.
    /// </summary>
    public static readonly TimeSpan SevenDays = TimeSpan.FromDays(7);

    /// <summary>AC 5.14(b): the Supplier's own interrogation "within a period of 14 days following the Commissioning".</summary>
    public static readonly TimeSpan FourteenDays = TimeSpan.FromDays(14);

    /// <summary>AC 5.7(c)(i)–(iii): how many Successfully Executed Commands of each counted Service Request clear the reason.</summary>
    public const int IssueSecurityCredentialsNeeded = 2, UpdateSecurityCredentialsDeviceNeeded = 2, UpdateSecurityCredentialsKrpNeeded = 1;

    /// <summary>The Device Types AC 5.4 and 5.7 concern: Communications Hub Functions, Gas Proxy Functions and Smart Meters.</summary>
    public static bool IsHubOrMeter(DeviceType type) => type is DeviceType.CHF or DeviceType.GPF || type.IsSmartMeter();

    /// <summary>AC 5.1: Clause 5 applies only to SMETS2+ Devices; AC 6.1: Clause 6 only to SMETS1 Devices.</summary>
    public static bool UnderClause5(Device d) => d.Generation == SmetsGeneration.SMETS2Plus;

    /// <summary>Commissioned now, with the date of that Commissioning.</summary>
    public static bool IsCommissioned(Device d, out DateTimeOffset commissionedAt)
    {
        commissionedAt = d.CommissionedAt ?? default;
        return d.Status == SmiStatus.Commissioned && d.CommissionedAt is not null;
    }

    /// <summary>
    /// AC 5.7: a CHF, GPF or Smart Meter (SMETS2+, 5.1) with SMI Status 'commissioned' that has been Commissioned for 7 days
    /// or more. Whether it is listed then depends on <see cref="Reasons"/>.
    /// </summary>
    public static bool CommissionedSevenDaysOrMore(Device d, DateTimeOffset now) =>
        UnderClause5(d) && IsHubOrMeter(d.Type) && IsCommissioned(d, out var c) && now - c >= SevenDays;

    /// <summary>
    /// AC 5.4: the interrogation is due within 7 days of Commissioning, or, for a Device Commissioned before Service Release 1.3
    /// (when the DCC is given that date), within 7 days of Service Release 1.3.
    /// </summary>
    public static DateTimeOffset InterrogationDueBy(DateTimeOffset commissionedAt, DateTimeOffset? serviceRelease13) =>
        (serviceRelease13 is { } release && commissionedAt < release ? release : commissionedAt) + SevenDays;

    /// <summary>The DCC has successfully carried out the 5.4 interrogation since the Device's latest Commissioning.</summary>
    public static bool DccInterrogated(Device d, CredentialFacts f) =>
        f.DccInterrogationSucceededAt is { } at && d.CommissionedAt is { } c && at >= c;

    /// <summary>
    /// Which of AC 5.7(a), (b), (c)(i)–(iii) apply now. (a): the 5.4 interrogation is due and the DCC has not carried it out
    /// successfully; (b): it has, and found the recovery cell without DCC Recovery credentials; (c): fewer Successfully
    /// Executed Commands than (i)–(iii) ask for, (iii) only for CHFs and Smart Meters.
    /// </summary>
    public static PostCommissioningReasons Reasons(Device d, CredentialFacts f, DateTimeOffset now, DateTimeOffset? serviceRelease13)
    {
        var reasons = PostCommissioningReasons.None;
        if (DccInterrogated(d, f))
        {
            if (f.RecoveryCellPopulated == false)
                reasons |= PostCommissioningReasons.RecoveryCellNotPopulated;
        }
        else if (d.CommissionedAt is { } c && now >= InterrogationDueBy(c, serviceRelease13))
            reasons |= PostCommissioningReasons.InterrogationFailed;
        if (f.IssueSecurityCredentials < IssueSecurityCredentialsNeeded)
            reasons |= PostCommissioningReasons.IssueSecurityCredentials;
        if (f.UpdateSecurityCredentialsDevice < UpdateSecurityCredentialsDeviceNeeded)
            reasons |= PostCommissioningReasons.UpdateSecurityCredentialsDevice;
        if (d.Type != DeviceType.GPF && f.UpdateSecurityCredentialsKrp < UpdateSecurityCredentialsKrpNeeded)
            reasons |= PostCommissioningReasons.UpdateSecurityCredentialsKrp;
        return reasons;
    }

    /// <summary>
    /// AC 5.7–5.8: the Device's Post Commissioning Information entry as of <paramref name="now"/>, or null when 5.7 does not
    /// identify it. 5.8(d) and (e) are left empty for a CHF.
    /// </summary>
    public static PostCommissioningEntry? Entry(Device d, CredentialFacts f, DateTimeOffset now, DateTimeOffset? serviceRelease13)
    {
        if (!CommissionedSevenDaysOrMore(d, now))
            return null;
        var reasons = Reasons(d, f, now, serviceRelease13);
        if (reasons == PostCommissioningReasons.None)
            return null;
        var chf = d.Type == DeviceType.CHF;
        return new PostCommissioningEntry(d.Id, d.Type, d.CommissionedAt!.Value, reasons,
            chf ? [] : d.ResponsibleSuppliers, chf ? null : d.CommissionedBy, now);
    }

    /// <summary>
    /// Records an occurrence of a step at <paramref name="at"/>: the first occurrence since the Device's latest Commissioning
    /// is kept, so "carried out within 7 days" stays answerable after the step is repeated.
    /// </summary>
    public static DateTimeOffset FirstSinceCommissioning(DateTimeOffset? recorded, DateTimeOffset? commissionedAt, DateTimeOffset at) =>
        recorded is { } r && commissionedAt is { } c && r >= c ? r : at;

    /// <summary>A step done by an event (key re-generation, Organisation Certificate replacement): done since Commissioning, and when.</summary>
    public static StepStatus EventStep(string clause, string step, DateTimeOffset commissionedAt, DateTimeOffset? firstAt, DateTimeOffset now)
    {
        var due = commissionedAt + SevenDays;
        var doneAt = firstAt is { } at && at >= commissionedAt ? at : (DateTimeOffset?)null;
        var state = doneAt is { } d ? (d < due ? StepState.Done : StepState.DoneLate) : (now >= due ? StepState.Overdue : StepState.Outstanding);
        return new StepStatus(clause, step, state, doneAt, due);
    }

    /// <summary>
    /// A step that is a state of the Device (whose credentials it holds for a party): met when the party recorded is one of
    /// <paramref name="required"/>, on time when it was recorded by the end of the 7 days. Nothing required that the DCC can
    /// name makes it <see cref="StepState.Undetermined"/>.
    /// </summary>
    public static StepStatus CredentialsStep(string clause, string step, DateTimeOffset commissionedAt, PartyId? holder, DateTimeOffset? recordedAt,
        IReadOnlySet<PartyId> required, DateTimeOffset now)
    {
        var due = commissionedAt + SevenDays;
        if (required.Count == 0)
            return new StepStatus(clause, step, StepState.Undetermined, null, due);
        if (holder is { } p && required.Contains(p) && recordedAt is { } at)
            return new StepStatus(clause, step, at < due ? StepState.Done : StepState.DoneLate, at, due);
        return new StepStatus(clause, step, now >= due ? StepState.Overdue : StepState.Outstanding, null, due);
    }

    /// <summary>
    /// The steps that follow a Commissioning for this Device: AC 5.2(a)–(b) for a SMETS2+ CHF; 5.3(a)–(c) for a SMETS2+ Smart
    /// Meter (5.3(a)–(b) for a GPF); 6.2(a)–(b) for a SMETS1 Device other than a Type 2 Device, which holds no credentials.
    /// </summary>
    public static IReadOnlyList<StepStatus> Steps(Device d, CredentialFacts f, IReadOnlySet<PartyId> networkParties, DateTimeOffset now)
    {
        if (!IsCommissioned(d, out var c))
            return [];
        if (d.Generation == SmetsGeneration.SMETS1)
            return d.IsType2 ? [] : [Smets1Supplier(d, f, c, now), Smets1NetworkParty(d, f, c, networkParties, now)];
        var chf = d.Type == DeviceType.CHF;
        StepStatus Keys() => EventStep(chf ? "AC-5.2(a)" : "AC-5.3(b)", "Private Keys re-generated and Device Certificates with the new Public Keys stored", c, f.KeysRegeneratedAt, now);
        StepStatus Organisation() => EventStep(chf ? "AC-5.2(b)" : "AC-5.3(c)", "Organisation Certificate information replaced", c, f.OrganisationCertificateReplacedAt, now);
        return d.Type switch
        {
            DeviceType.CHF => [Keys(), Organisation()],
            DeviceType.GPF => [NetworkPartyStep(f, c, networkParties, now), Keys()],
            _ when d.Type.IsSmartMeter() => [NetworkPartyStep(f, c, networkParties, now), Keys(), Organisation()],
            _ => [],
        };
    }

    private static StepStatus NetworkPartyStep(CredentialFacts f, DateTimeOffset c, IReadOnlySet<PartyId> required, DateTimeOffset now) =>
        CredentialsStep("AC-5.3(a)", "Network Party credentials are the Electricity Distributor's or Gas Transporter's", c, f.NetworkParty, f.NetworkPartyAt, required, now);

    private static StepStatus Smets1Supplier(Device d, CredentialFacts f, DateTimeOffset c, DateTimeOffset now) =>
        CredentialsStep("AC-6.2(a)", "Responsible Supplier credentials are the Import Supplier's or Gas Supplier's", c, f.SupplierParty, f.SupplierPartyAt,
            d.ResponsibleSuppliers.ToHashSet(), now);

    private static StepStatus Smets1NetworkParty(Device d, CredentialFacts f, DateTimeOffset c, IReadOnlySet<PartyId> required, DateTimeOffset now) =>
        CredentialsStep("AC-6.2(b)", "Network Party credentials are the Electricity Distributor's or Gas Transporter's", c, f.NetworkParty, f.NetworkPartyAt, required, now);

    /// <summary>AC 6.2 for a SMETS1 Device Commissioned 7 days or more; null for any other Device.</summary>
    public static Smets1CredentialCheck? Smets1Check(Device d, CredentialFacts f, IReadOnlySet<PartyId> networkParties, DateTimeOffset now)
    {
        if (d.Generation != SmetsGeneration.SMETS1 || d.IsType2 || !IsCommissioned(d, out var c) || now - c < SevenDays)
            return null;
        return new Smets1CredentialCheck(d.Id, d.Type, c, Smets1Supplier(d, f, c, now), Smets1NetworkParty(d, f, c, networkParties, now));
    }

    // ---- AC 5.13: Incidents about a Communications Hub Function ------------------------------------------------

    /// <summary>AC 5.2(a) and (b) were both carried out within 7 days following the CHF's Commissioning.</summary>
    public static bool ChfStepsDoneInTime(DateTimeOffset commissionedAt, CredentialFacts f) =>
        InWindow(f.KeysRegeneratedAt, commissionedAt) && InWindow(f.OrganisationCertificateReplacedAt, commissionedAt);

    private static bool InWindow(DateTimeOffset? at, DateTimeOffset commissionedAt) =>
        at is { } t && t >= commissionedAt && t < commissionedAt + SevenDays;

    private static bool RaisedSince(DateTimeOffset? raisedAt, DateTimeOffset commissionedAt) => raisedAt is { } r && r >= commissionedAt;

    /// <summary>
    /// AC 5.13: the Incidents now due for a SMETS2+ CHF, each once per Commissioning, and the facts marked to say so.
    /// (a) 5.2(a)/(b) not carried out within 7 days; (b) 5.7(a) (the 5.4 interrogation is overdue) or 5.7(b) (the recovery
    /// cell lacks DCC Recovery credentials) applies.
    /// </summary>
    public static (IReadOnlyList<Notification> Incidents, CredentialFacts Facts) ChfIncidents(Device chf, CredentialFacts f, DateTimeOffset now, DateTimeOffset? serviceRelease13)
    {
        if (chf.Type != DeviceType.CHF || !UnderClause5(chf) || !IsCommissioned(chf, out var c))
            return ([], f);
        var incidents = new List<Notification>();
        if (now >= c + SevenDays && !RaisedSince(f.ChfWeekCheckedAt, c))
        {
            if (!ChfStepsDoneInTime(c, f) && !RaisedSince(f.IncidentStepsAt, c))
            {
                incidents.Add(StepsIncident(chf, c, f, now));
                f = f with { IncidentStepsAt = now };
            }
            if (now >= InterrogationDueBy(c, serviceRelease13))
            {
                if (!DccInterrogated(chf, f) && !RaisedSince(f.IncidentInterrogationAt, c))
                {
                    incidents.Add(Incident(chf, c, now, "AC-5.13(b)", "AC-5.7(a)",
                        $"the DCC has not successfully interrogated its recovery Trust Anchor Cell (AC 5.4), due by {InterrogationDueBy(c, serviceRelease13):yyyy-MM-dd HH:mm}Z, so AC 5.7(a) applies"));
                    f = f with { IncidentInterrogationAt = now };
                }
                // Both checks that fall due after 7 days are now settled for this Commissioning.
                f = f with { ChfWeekCheckedAt = now };
            }
        }
        if (DccInterrogated(chf, f) && f.RecoveryCellPopulated == false && !RaisedSince(f.IncidentRecoveryCellAt, c))
        {
            incidents.Add(Incident(chf, c, now, "AC-5.13(b)", "AC-5.7(b)",
                "the DCC's interrogation (AC 5.4) found its recovery Trust Anchor Cell not populated with Device Security Credentials of a DCC Recovery Certificate, so AC 5.7(b) applies"));
            f = f with { IncidentRecoveryCellAt = now };
        }
        return (incidents, f);
    }

    private static Notification StepsIncident(Device chf, DateTimeOffset c, CredentialFacts f, DateTimeOffset now)
    {
        var missing = new List<string>();
        if (!InWindow(f.KeysRegeneratedAt, c))
            missing.Add("AC-5.2(a)");
        if (!InWindow(f.OrganisationCertificateReplacedAt, c))
            missing.Add("AC-5.2(b)");
        var what = string.Join(" and ", missing.Select(m => m == "AC-5.2(a)"
            ? "re-generate its Private Keys and store Device Certificates with the new Public Keys (AC 5.2(a))"
            : "have information from an Organisation Certificate in its Device Security Credentials replaced (AC 5.2(b))"));
        return Incident(chf, c, now, "AC-5.13(a)", string.Join(",", missing), $"it did not {what} within 7 days of its Commissioning");
    }

    private static Notification Incident(Device chf, DateTimeOffset c, DateTimeOffset now, string clause, string cause, string why) => new()
    {
        CreatedAt = now,
        Kind = NotificationKind.Incident,
        Clause = clause,
        Recipient = new Recipient(RecipientKind.DccIncidentManagement, null),
        DeviceId = chf.Id,
        Message = $"Incident ({clause.Replace("AC-", "AC ")}): Communications Hub Function {chf.Id}, Commissioned {c:yyyy-MM-dd HH:mm}Z: {why}.",
        Data = new Dictionary<string, string>
        {
            ["deviceId"] = chf.Id.ToString(),
            ["deviceType"] = chf.Type.ToString(),
            ["commissionedAt"] = c.ToString("O"),
            ["cause"] = cause,
        },
    };

    // ---- AC 5.14: the Supplier Parties' restriction ---------------------------------------------------------------

    /// <summary>
    /// AC 5.14 for a SMETS2+ GPF or Smart Meter that is 'commissioned'; null for any other Device. (a) holds from 7 days
    /// after Commissioning while 5.3(b) (or, for a meter, 5.3(c)) is still not done since then; (b) holds from 14 days
    /// after Commissioning while the DCC's 5.4 interrogation has not succeeded (5.7(a)) and no Supplier's has either.
    /// </summary>
    public static SupplierRestriction? Restriction(Device d, CredentialFacts f, DateTimeOffset now, DateTimeOffset? serviceRelease13)
    {
        if (!UnderClause5(d) || d.Type is not (DeviceType.GPF or DeviceType.ESME or DeviceType.GSME) || !IsCommissioned(d, out var c))
            return null;
        var sevenDaysOver = now >= c + SevenDays;
        var keysOutstanding = !(f.KeysRegeneratedAt is { } k && k >= c);
        var organisationOutstanding = d.Type.IsSmartMeter() && !(f.OrganisationCertificateReplacedAt is { } o && o >= c);
        var stepsOverdue = sevenDaysOver && (keysOutstanding || organisationOutstanding);
        var dccFailed = !DccInterrogated(d, f) && now >= InterrogationDueBy(c, serviceRelease13);
        var supplierInterrogated = f.SupplierInterrogationSucceededAt is { } s && s >= c;
        var interrogationFailed = now >= c + FourteenDays && dccFailed && !supplierInterrogated;

        var services = new List<string>();
        var why = new List<string>();
        if (stepsOverdue)
        {
            if (keysOutstanding)
            {
                services.Add(CredentialServices.IssueSecurityCredentials);
                services.Add(CredentialServices.UpdateSecurityCredentialsDevice);
                why.Add("its Private Keys have not been re-generated with new Device Certificates stored (AC 5.3(b))");
            }
            if (organisationOutstanding)
            {
                services.Add(CredentialServices.UpdateSecurityCredentialsKrp);
                why.Add("no Organisation Certificate information has been replaced (AC 5.3(c))");
            }
        }
        if (interrogationFailed)
        {
            services.Add(CredentialServices.RetrieveDeviceSecurityCredentialsKrp);
            why.Add("neither the DCC (AC 5.4) nor a Supplier within 14 days has successfully interrogated its recovery Trust Anchor Cell");
        }
        var explanation = why.Count == 0
            ? "its post-commissioning steps are done or not yet due"
            : $"Commissioned {c:yyyy-MM-dd HH:mm}Z, " + string.Join("; ", why);
        return new SupplierRestriction(stepsOverdue, interrogationFailed, services, explanation);
    }

    /// <summary>
    /// AC 5.14: a Supplier Party sends a restricted Device Service Requests only (i) to complete the outstanding steps (the
    /// Service Request itself shows it), (ii) to replace its credentials on a change of supplier (6.23), or (iii) to maintain
    /// an energy supply (which only the requester can state). Other roles are not restricted.
    /// </summary>
    public static Outcome<ServiceRequestClearance> Clear(DeviceServiceRequest request, Device device, SupplierRestriction? restriction)
    {
        var srv = request.ServiceReferenceVariant;
        if (!request.Requester.IsSupplier || restriction is not { Applies: true } r)
            return new ServiceRequestClearance(device.Id, srv, false, null,
                !request.Requester.IsSupplier
                    ? $"AC 5.14 restricts Supplier Parties; {request.Requester} is not acting as one."
                    : $"AC 5.14 does not restrict Service Requests to {device.Type} {device.Id}: " + (restriction?.Explanation ?? "it is not a 'commissioned' SMETS2+ GPF or Smart Meter") + ".");
        if (r.StepServices.Contains(srv))
            return new ServiceRequestClearance(device.Id, srv, true, "AC-5.14(i)", $"{CredentialServices.Describe(srv)} completes the outstanding steps ({r.Explanation}).");
        if (srv == CredentialServices.UpdateSecurityCredentialsCos)
            return new ServiceRequestClearance(device.Id, srv, true, "AC-5.14(ii)", $"{CredentialServices.Describe(srv)} replaces the Device Security Credentials on a change of supplier.");
        if (request.Purpose == StatedPurpose.MaintainingEnergySupply)
            return new ServiceRequestClearance(device.Id, srv, true, "AC-5.14(iii)", $"{request.Requester} states that {srv} maintains an energy supply to the premises.");
        return new Refusal(r.Clause, "SupplierRestricted",
            $"{request.Requester} may not send Service Request {CredentialServices.Describe(srv)} to {device.Type} {device.Id}: {r.Explanation}. " +
            $"Until that is put right a Supplier Party sends this Device Service Requests only to complete those steps ({string.Join(", ", r.StepServices.Select(CredentialServices.Describe))}), " +
            $"to replace its Device Security Credentials on a change of supplier ({CredentialServices.Describe(CredentialServices.UpdateSecurityCredentialsCos)}), " +
            $"or to maintain an energy supply to the premises (state the purpose '{nameof(StatedPurpose.MaintainingEnergySupply)}').",
            RefusalKind.Conflict, "serviceReferenceVariant");
    }
}

using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>
/// Walks every refusal path of the SMI and the product lists on one populated inventory: each request is refused with its
/// clause and code, and after each the SMI and the outbox are exactly as they were.
/// </summary>
public sealed class RefusalWalkTests
{
    [Test]
    [Category("Refusals")]
    public async Task Every_refusal_path_names_its_clause_and_leaves_the_smi_unchanged()
    {
        await using var w = await TestWorld.CreateAsync();
        var walked = new List<(string Clause, string Code)>();
        async Task Walk<T>(string clause, string code, Func<Task<Outcome<T>>> act)
        {
            await w.RefusedUnchangedAsync(act, clause, code);
            walked.Add((clause, code));
        }

        // A populated SMI: a commissioned SMETS2+ electricity system, an installed GSME and PPMID, a listed IHD,
        // a SMETS1 hub led by another supplier, a decommissioned PPMID, a hub whose CHF is still pending.
        (await w.Products.AddEligibleCombinationAsync([Smets1Hub, Smets1Gsme], w.Ct)).Must();
        var (chf, gpf, esme) = await w.Smets2ElectricityAsync();
        var gsme = await w.AddAsync(DeviceType.GSME, Smets2Gsme);
        await w.InstallAsync(chf, gsme, Mprn);
        var ppmid = await w.AddAsync(DeviceType.PPMID, Smets2Ppmid);
        await w.InstallAsync(chf, ppmid);
        var ihd = await w.AddAsync(DeviceType.IHD, Ihd);
        var deadPpmid = await w.AddAsync(DeviceType.PPMID, Smets2Ppmid);
        (await w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(ImportSupplier, deadPpmid), w.Ct)).Must();
        var (s1Chf, _) = await w.AddSmets1HubAsync(OtherSupplier);
        var s1Esme = await w.AddAsync(DeviceType.ESME, Smets1Esme, SmetsGeneration.SMETS1);
        var (pendingChf, _) = await w.DeliverHubAsync();
        var loneEsme = await w.AddAsync(DeviceType.ESME, Smets2Esme);
        await w.WhitelistAsync(pendingChf, loneEsme, Mpan);
        var orphanEsme = await w.AddAsync(DeviceType.ESME, Smets2Esme);
        var orphanPpmid = await w.AddAsync(DeviceType.PPMID, Smets2Ppmid);
        var whitelisted = await w.AddAsync(DeviceType.PPMID, Smets2Ppmid);
        await w.WhitelistAsync(chf, whitelisted);
        var (deadChf, _) = await w.DeliverHubAsync();
        var deadChfEsme = await w.AddAsync(DeviceType.ESME, Smets2Esme);
        await w.WhitelistAsync(deadChf, deadChfEsme, Mpan);
        (await w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(ImportSupplier, deadChf), w.Ct)).Must();
        var unknown = w.NewId();
        var a = ImportSupplier;
        var ct = w.Ct;
        var smi = w.Smi;

        // Adding devices (AC 2.3–2.9, 3.4–3.5)
        await Walk("AC-2.3", "DeviceAlreadyInSmi", () => smi.AddDeviceAsync(new AddDeviceRequest(a, esme, DeviceType.ESME, Smets2Esme, SmetsGeneration.SMETS2Plus), ct));
        await Walk("AC-2.5", "CommunicationsHubFunctionsAddedTogether", () => smi.AddDeviceAsync(new AddDeviceRequest(a, w.NewId(), DeviceType.CHF, Smets1Hub, SmetsGeneration.SMETS1), ct));
        await Walk("AC-2.5", "CommunicationsHubFunctionsAddedTogether", () => smi.AddCommunicationsHubAsync(new AddCommunicationsHubRequest(a, w.NewId(), null, Smets1Hub, SmetsGeneration.SMETS1), ct));
        await Walk("AC-2.8", "OnlySmets1OrDccProvidedHubs", () => smi.AddCommunicationsHubAsync(new AddCommunicationsHubRequest(a, w.NewId(), w.NewId(), Smets2Hub, SmetsGeneration.SMETS2Plus), ct));
        await Walk("AC-10.1", "InvalidField", () => smi.AddCommunicationsHubAsync(new AddCommunicationsHubRequest(Agent, w.NewId(), w.NewId(), Smets1Hub, SmetsGeneration.SMETS1), ct));
        await Walk("AC-2.4", "DeviceModelNotOnCpl", () => smi.DeliverCommunicationsHubAsync(new DeliverCommunicationsHubRequest(w.NewId(), w.NewId(), NotOnCpl, a.Party), ct));
        await Walk("AC-2.6", "DeviceModelNotOnCpl", () => smi.AddDeviceAsync(new AddDeviceRequest(a, w.NewId(), DeviceType.ESME, NotOnCpl, SmetsGeneration.SMETS2Plus), ct));
        await Walk("AC-2.6", "ResponsibleSupplierMissing", () => smi.AddDeviceAsync(new AddDeviceRequest(Agent, w.NewId(), DeviceType.ESME, Smets2Esme, SmetsGeneration.SMETS2Plus), ct));
        await Walk("AC-3.5", "ServiceDeskInformationMissing", () => smi.AddDeviceAsync(new AddDeviceRequest(a, w.NewId(), DeviceType.ESME, Smets1Esme, SmetsGeneration.SMETS1), ct));
        await Walk("AC-3.4(b)", "InvalidField", () => smi.ProvideServiceDeskInformationAsync(new ServiceDeskContact(a, w.NewId(), new Dictionary<string, string> { [""] = "x" }), ct));

        // SMETS1 declarations and Panel directions (AC 3.8–3.10), EPC (H5)
        await Walk("AC-3.8", "DeclarationNotFromSupplier", () => smi.RecordSmets1DeclarationAsync(new Smets1DeclarationRequest(Distributor, Smets1Esme, "X Ltd", "X"), ct));
        await Walk("AC-3.8", "InvalidField", () => smi.RecordSmets1DeclarationAsync(new Smets1DeclarationRequest(a, Smets1Esme, "", "X"), ct));
        await Walk("AC-3.10", "NotASmets1Device", () => smi.RecordPanelDirectionAsync(esme, "F3-9", ct));
        await Walk("AC-3.10", "InvalidField", () => smi.RecordPanelDirectionAsync(s1Esme, " ", ct));
        await Walk("AC-3.10", "NoPanelDirection", () => smi.LiftPanelDirectionAsync(s1Esme, ct));
        await Walk("AC-3.9", "Smets1DeclarationMissing", () => smi.ChfCommunicationVerifiedAsync(s1Chf, ct));
        (await smi.RecordPanelDirectionAsync(s1Chf, "F3-10", ct)).Must();
        await Walk("AC-3.10", "PanelDirectedNotToCommission", () => smi.ChfCommunicationVerifiedAsync(s1Chf, ct));
        (await smi.LiftPanelDirectionAsync(s1Chf, ct)).Must();
        await w.DeclareAsync(Smets1Hub, OtherSupplier);
        await w.DeclareAsync(Smets1Esme);
        await w.CommissionChfAsync(s1Chf);
        await w.InstallAsync(s1Chf, s1Esme, Mpan2);
        await Walk("H5", "CombinationNotOnEpc", () => smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(a, s1Esme), ct));

        // CHF commissioning (AC 4.1–4.2)
        await Walk("AC-4.2(a)", "DeviceNotInSmi", () => smi.ChfCommunicationVerifiedAsync(unknown, ct));
        await Walk("AC-4.1", "NotACommunicationsHubFunction", () => smi.ChfCommunicationVerifiedAsync(gpf, ct));
        await Walk("AC-4.2(b)", "ChfStatusNotCommissionable", () => smi.ChfCommunicationVerifiedAsync(deadChf, ct));
        await Walk("AC-4.2(c)", "CommunicationNotAuthentic", () => smi.ChfCommunicationReceivedAsync(new ChfCommunication(pendingChf, false, true), ct));
        await Walk("AC-4.2(c)", "CommunicationNotAuthentic", () => smi.ChfCommunicationReceivedAsync(new ChfCommunication(pendingChf, true, false), ct));

        // HAN Device Log and alerts (AC 4.3–4.4)
        await Walk("AC-4.3", "DeviceNotInSmi", () => smi.HanDeviceLogUpdatedAsync(new HanDeviceLogUpdate(a, unknown, ppmid), ct));
        await Walk("AC-4.3", "NotACommunicationsHubFunction", () => smi.HanDeviceLogUpdatedAsync(new HanDeviceLogUpdate(a, esme, ppmid), ct));
        await Walk("AC-4.3(a)", "DeviceNotInSmi", () => smi.HanDeviceLogUpdatedAsync(new HanDeviceLogUpdate(a, chf, unknown), ct));
        await Walk("AC-4.3", "CannotAddChfToDeviceLog", () => smi.HanDeviceLogUpdatedAsync(new HanDeviceLogUpdate(a, chf, pendingChf), ct));
        await Walk("AC-4.3(c)", "DeviceInactive", () => smi.HanDeviceLogUpdatedAsync(new HanDeviceLogUpdate(a, chf, deadPpmid), ct));
        await Walk("AC-4.3(b)", "InvalidField", () => smi.HanDeviceLogUpdatedAsync(new HanDeviceLogUpdate(a, chf, orphanEsme), ct));
        await Walk("AC-4.3(b)", "InvalidField", () => smi.HanDeviceLogUpdatedAsync(new HanDeviceLogUpdate(a, chf, orphanPpmid, [Mpan]), ct));
        await Walk("AC-4.3(b)", "InvalidField", () => smi.RegisterNetworkOperatorAsync(new SecDcc.Dcc.Persistence.NetworkOperator(false, "1x", Distributor.Party), ct));
        await Walk("AC-4.4", "DeviceNotInSmi", () => smi.HanAlertReceivedAsync(new HanAlert(chf, unknown), ct));
        await Walk("AC-4.4", "DeviceNotInChfDeviceLog", () => smi.HanAlertReceivedAsync(new HanAlert(chf, orphanPpmid), ct));
        await Walk("AC-4.4", "NotACommunicationsHubFunction", () => smi.HanAlertReceivedAsync(new HanAlert(gpf, ppmid), ct));

        // Join (AC 4.5–4.8) and UnJoin (AC 7.1)
        Task<Outcome<CommandAccepted>> Join(DeviceId d, DeviceId t, Actor? by = null) => smi.RequestJoinAsync(new JoinRequest(by ?? a, d, t), ct);
        await Walk("AC-4.6(a)", "DeviceNotInSmi", () => Join(unknown, esme));
        await Walk("AC-4.5", "ChfNotJoined", () => Join(chf, esme));
        await Walk("AC-4.6(c)", "DeviceNotInSmi", () => Join(ppmid, unknown));
        await Walk("AC-4.5", "JoinTargetType", () => Join(ppmid, whitelisted));
        await Walk("AC-4.5", "NotResponsibleSupplier", () => Join(ppmid, esme, OtherSupplier));
        await Walk("AC-4.6(a)", "JoinDeviceStatus", () => Join(whitelisted, esme));
        await Walk("AC-4.6(b)", "NoChfInSystem", () => Join(orphanPpmid, orphanEsme));
        await Walk("AC-4.6(b)", "ChfStatus", () => Join(orphanPpmid, deadChfEsme));
        await Walk("AC-4.6(c)", "JoinTargetStatus", () => Join(ppmid, loneEsme));
        await Walk("AC-4.8(b)", "JoinTargetStatus", () => Join(ihd, deadChfEsme, OtherUser));
        await Walk("AC-4.8(b)", "DeviceNotInSmi", () => Join(ihd, unknown, OtherUser));
        await Walk("AC-4.8(a)", "Type2JoinTargetType", () => Join(ihd, gsme, OtherUser));
        await Walk("AC-4.8(a)", "NotResponsibleSupplierOrOtherUser", () => Join(ihd, esme, Distributor));
        await Walk("AC-4.7", "NoJoinOutstanding", () => smi.JoinResponseAsync(new JoinResponse(ppmid, esme, true), ct));
        await Walk("AC-7.1", "DeviceNotInSmi", () => smi.RequestUnjoinAsync(new UnjoinRequest(a, unknown, esme), ct));
        await Walk("AC-7.1", "UnjoinDeviceType", () => smi.RequestUnjoinAsync(new UnjoinRequest(a, esme, gpf), ct));
        await Walk("AC-7.1", "NotJoined", () => smi.RequestUnjoinAsync(new UnjoinRequest(a, ppmid, esme), ct));
        await Walk("AC-7.1", "NoUnjoinOutstanding", () => smi.UnjoinResponseAsync(new UnjoinResponse(ppmid, esme, true), ct));

        // Commission Device (AC 4.11–4.15)
        Task<Outcome<CommandAccepted>> Commission(DeviceId m, Actor? by = null) => smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(by ?? a, m), ct);
        await Walk("AC-4.12(a)", "DeviceNotInSmi", () => Commission(unknown));
        await Walk("AC-4.15", "Type2NotCommissioned", () => Commission(ihd));
        await Walk("AC-4.11", "NotASmartMeter", () => Commission(ppmid));
        await Walk("AC-4.11", "NotResponsibleSupplier", () => Commission(gsme, OtherSupplier));
        await Walk("AC-4.12(b)", "MeterStatusNotCommissionable", () => Commission(esme));
        await Walk("AC-4.12(c)", "ChfNotCommissioned", () => Commission(loneEsme));
        await Walk("AC-4.12(c)", "ChfNotCommissioned", () => Commission(orphanEsme));
        await Walk("AC-4.13", "NoCommissionDeviceOutstanding", () => smi.CommissionDeviceResponseAsync(new CommissionDeviceResponse(gsme, true), ct));

        // Status changes and information (AC 2.7, 2.10–2.11, 8.1, 10.1, H6)
        await Walk("AC-2.7", "DeviceNotInSmi", () => smi.EnsureMayCommunicateAsync(unknown, CommunicationPurpose.Operational, ct));
        await Walk("AC-8.1", "DeviceNotInSmi", () => smi.ReactivateDeviceAsync(new ReactivateDeviceRequest(a, unknown), ct));
        await Walk("AC-8.1", "Type2HasNoStatus", () => smi.ReactivateDeviceAsync(new ReactivateDeviceRequest(a, ihd), ct));
        await Walk("AC-8.1", "NotResponsibleSupplier", () => smi.ReactivateDeviceAsync(new ReactivateDeviceRequest(OtherSupplier, deadPpmid), ct));
        await Walk("AC-8.1", "StatusNotReactivatable", () => smi.ReactivateDeviceAsync(new ReactivateDeviceRequest(a, esme), ct));
        await Walk("H6", "DeviceNotInSmi", () => smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(a, unknown), ct));
        await Walk("AC-2.9", "Type2HasNoStatus", () => smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(a, ihd), ct));
        await Walk("AC-2.9", "Type2HasNoStatus", () => smi.WithdrawDeviceAsync(new WithdrawDeviceRequest(a, ihd), ct));
        await Walk("AC-10.1", "NotLeadSupplier", () => smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(a, s1Chf), ct));
        await Walk("H6", "NotResponsibleSupplier", () => smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(OtherSupplier, esme), ct));
        await Walk("H6", "AlreadyDecommissioned", () => smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(a, deadPpmid), ct));
        await Walk("H6", "NotResponsibleSupplier", () => smi.WithdrawDeviceAsync(new WithdrawDeviceRequest(OtherUser, esme), ct));
        await Walk("H6", "DeviceNotInSmi", () => smi.WithdrawDeviceAsync(new WithdrawDeviceRequest(a, unknown), ct));
        await Walk("AC-2.10", "DeviceNotInSmi", () => smi.UpdateMpxnAsync(new UpdateMpxnRequest(a, unknown, [Mpan]), ct));
        await Walk("AC-2.10", "NotASmartMeter", () => smi.UpdateMpxnAsync(new UpdateMpxnRequest(a, ppmid, [Mpan]), ct));
        await Walk("AC-2.11", "NotResponsibleSupplier", () => smi.UpdateMpxnAsync(new UpdateMpxnRequest(OtherSupplier, esme, [Mpan2]), ct));
        await Walk("AC-2.10", "InvalidField", () => smi.UpdateMpxnAsync(new UpdateMpxnRequest(a, esme, ["1"]), ct));
        await Walk("AC-2.10", "NotResponsibleSupplier", () => smi.UpdateDeviceModelAsync(new UpdateDeviceModelRequest(OtherUser, esme, NotOnCpl), ct));
        await Walk("AC-2.10", "DeviceNotInSmi", () => smi.UpdateDeviceModelAsync(new UpdateDeviceModelRequest(a, unknown, NotOnCpl), ct));
        await Walk("AC-2.1", "DeviceNotInSmi", () => smi.ReadInventoryAsync(unknown, ct));
        await Walk("AC-2.1", "NotACommunicationsHubFunction", () => smi.ReadInventoryByChfAsync(esme, ct));

        // Product lists (F2, PPC)
        var p = w.Products;
        await Walk("F2.14(a)", "InvalidField", () => p.ReceiveCplAsync("[", ct));
        await Walk("F2.15(a)", "CplSignatureInvalid", () => p.ReceiveCplAsync(w.SignedCpl(w.StandardEntries(), key: w.ManufacturerKey), ct));
        await Walk("F2.15", "CplNotNewer", () => p.ReceiveCplAsync(w.SignedCpl(w.StandardEntries(), sequence: 1), ct));
        await Walk("AC-2.9", "Type2OnCpl", () => p.ReceiveCplAsync(w.SignedCpl([w.Entry("CAD", Ihd)]), ct));
        await Walk("F2.2(d)", "CplFieldMissing", () => { var e = w.Entry("ESME", Smets2Esme); e.Remove("firmwareHash"); return p.ReceiveCplAsync(w.SignedCpl([e]), ct); });
        await Walk("F2.8(c)", "FirmwareHashSignatureInvalid", () => p.ReceiveCplAsync(w.SignedCpl([w.Entry("ESME", Smets2Esme, signer: w.PanelKey)]), ct));
        await Walk("PPC-2.5", "AlreadyOnEpc", () => p.AddEligibleCombinationAsync([Smets1Gsme, Smets1Hub], ct));
        await Walk("PPC-6.10", "AlreadyOnEpc", () => p.RequestPpcTestAsync(a.Party, [Smets1Hub, Smets1Gsme], ct));
        await Walk("PPC-6.12", "InvalidField", () => p.RequestPpcTestAsync(a.Party, [], ct));
        await Walk("PPC-6.12", "NotOnPpc", () => p.RecordPpcTestResultAsync("none", true, null, ct));

        var distinct = walked.Distinct().ToList();
        TestContext.Out.WriteLine($"Walked {walked.Count} refusals, {distinct.Count} distinct clause/code pairs across {distinct.Select(x => x.Clause).Distinct().Count()} clauses.");
        Assert.That(distinct.Count, Is.GreaterThanOrEqualTo(80));
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Service.Duis.Parties;
using SecDcc.Dcc.Tests.Duis.Support;
using SecDcc.Dcc.Tests.Support;
using SecDcc.Duis.Client;
using SecDcc.Duis.Keys;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using static SecDcc.Dcc.Tests.Support.TestWorld;
using DuisEui = SecDcc.Duis.Eui64;
using DuisType = SecDcc.Duis.Messages.DeviceType;

namespace SecDcc.Dcc.Tests.Duis;

/// <summary>How the DUIS interface lives in the service: with no SM WAN gateway, across a restart, and in the real process.</summary>
[NonParallelizable]
public sealed class DuisHostingTests
{
    private readonly CancellationToken _ct = new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;
    private static readonly DuisEui SupplierId = DuisEui.Parse("90-B3-D5-1F-30-21-00-00");

    [Test]
    public async Task Without_an_sm_wan_gateway_a_device_request_is_answered_that_the_wan_is_not_available()
    {
        await using var host = await DuisHost.StartAsync(_ct, wan: false);
        using var supplier = TestParty.Create(SupplierId, [UserRole.IS]);
        await host.RegisterAsync(supplier, _ct);
        var client = host.ClientFor(supplier);
        var esme = new DuisEui(0x00DB_5600_0000_0001);
        var added = await client.SendAsync(DuisRequest.Create(supplier.NextRequestId(host.DccEui),
            new DevicePreNotification(esme, Smets2Esme.Manufacturer, Smets2Esme.Model, DuisType.Esme, FirmwareVersion: Smets2Esme.FirmwareVersion)), _ct);
        Assert.That(added.Response.ResponseCode.Value, Is.EqualTo("I0"), added.Response.Diagnostic);

        var listed = await client.SendAsync(DuisRequest.Create(supplier.NextRequestId(esme), new ReadDeviceLog()), _ct);
        var unlisted = await client.SendAsync(DuisRequest.Create(supplier.NextRequestId(new DuisEui(0x00DB_5600_0000_0002)), new ReadDeviceLog()), _ct);

        Assert.That(listed.Response.ResponseCode.Value, Is.EqualTo("E20"), listed.Response.Diagnostic);
        Assert.That(listed.Response.Diagnostic, Does.StartWith("[SM-WAN] SmWanNotAvailable"));
        Assert.That(unlisted.Response.ResponseCode.Value, Is.EqualTo("E19"), unlisted.Response.Diagnostic);
        Assert.That(unlisted.Response.Diagnostic, Does.StartWith("[AC-2.7] DeviceNotInSmi"));
    }

    [Test]
    public async Task A_request_accepted_before_a_restart_is_refused_as_a_replay_after_it()
    {
        var dir = Path.Combine(Path.GetTempPath(), "secdcc-duis-restart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            using var supplier = TestParty.Create(SupplierId, [UserRole.IS]);
            string signed;
            await using (var first = await DuisHost.StartAsync(_ct, dataDirectory: dir))
            {
                await first.RegisterAsync(supplier, _ct);
                signed = supplier.Sign(DuisRequest.Create(supplier.NextRequestId(first.DccEui), ReadInventory.ByDeviceId(new DuisEui(0x00DB_5600_0000_0003))));
                var answer = await first.PostAsync(signed, _ct);
                Assert.That(answer.Code, Is.EqualTo("E19"), answer.ToString());
            }

            await using var second = await DuisHost.StartAsync(_ct, dataDirectory: dir);
            await second.RegisterAsync(supplier, _ct);
            var replayed = await second.PostAsync(signed, _ct);
            var fresh = await second.PostAsync(supplier.Sign(DuisRequest.Create(supplier.NextRequestId(second.DccEui), ReadInventory.ByDeviceId(new DuisEui(0x00DB_5600_0000_0003)))), _ct);

            Assert.That((replayed.Code, replayed.Rejection?.Reason), Is.EqualTo(("E1", "CounterNotIncreasing")), replayed.ToString());
            Assert.That(fresh.Code, Is.EqualTo("E19"), fresh.ToString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task The_service_started_with_duis_test_parties_answers_a_zaz1_supplier_signed_with_the_dsp_key()
    {
        var keystore = PartySources.FindKeystore(null);
        if (keystore is null)
            Assert.Ignore($"The ZAZ1 keystore is not installed; run '{PartySources.InstallCommand}' from the repository root.");
        var dir = Path.Combine(Path.GetTempPath(), "secdcc-duis-process-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var dcc = await ServiceProcess.StartAsync(["--data", Path.Combine(dir, "smi.db"), "--test-mode", "--duis-test-parties", "--duis-keystore", keystore], _ct);
        try
        {
            var store = await DccBoxedKeyStore.LoadAsync(keystore, _ct);
            using var supplier = store.GetXmlSigningCredentials(Zaz1Parties.Supplier);
            var info = await dcc.Http.GetFromJsonAsync<JsonElement>("/api/v1/dcc-certificate", _ct);
            Assert.That((info.GetProperty("eui").GetString(), info.GetProperty("serialNumber").GetString()),
                Is.EqualTo((Zaz1Parties.Dcc.ToString(), store.FindXmlSigning(Zaz1Parties.Dcc).SerialNumber.ToString())));
            var client = new DuisClient(dcc.Http, supplier, store.CreateXmlSigningResolver(), new DuisClientOptions { BaseAddress = dcc.BaseAddress });

            var read = await client.SendAsync(DuisRequest.Create(new RequestId(Zaz1Parties.Supplier, Zaz1Parties.Dcc, TestParty.NextCounter()),
                ReadInventory.ByDeviceId(new DuisEui(0x00DB_5600_0000_0004))), _ct);

            Assert.That(read.ResponseVerification!.Signer!.SerialNumber, Is.EqualTo(store.FindXmlSigning(Zaz1Parties.Dcc).LoadCertificate().SerialNumber));
            Assert.That(read.Response.ResponseCode.Value, Is.EqualTo("E19"), read.Response.Diagnostic);
        }
        finally
        {
            await dcc.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task Duis_test_parties_without_the_keystore_stops_the_service_with_the_npm_command()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { ServiceProcess.ServiceDll(), "--data", Path.Combine(Path.GetTempPath(), $"secdcc-nokeystore-{Guid.NewGuid():N}.db"), "--duis-test-parties", "--duis-keystore", "/nonexistent/keystore.json" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync(_ct);
        await process.WaitForExitAsync(_ct);

        Assert.That(process.ExitCode, Is.EqualTo(2));
        Assert.That(await stderr, Does.Contain("npm ci --prefix drivers/interop"));
    }
}

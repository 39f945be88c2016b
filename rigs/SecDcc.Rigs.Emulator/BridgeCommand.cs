using System.CommandLine;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Bridge;

namespace SecDcc.Rigs.Emulator;

/// <summary>
/// <c>secdcc-emulator bridge /dev/ttyUSB3 --gateway dcc:7070 [--baud 115200]</c>: relays a hub's serial WAN
/// line to the DCC's SM WAN gateway, byte for byte, until Ctrl-C.
/// </summary>
internal static class BridgeCommand
{
    public static Command Create()
    {
        var line = new Argument<string>("line") { Description = "The hub's WAN line: /dev/serial/by-id/... for a real hub, or an emulated rig's WAN line (its 'WAN line' path)." };
        var gateway = new Option<string>("--gateway") { Description = "The DCC's SM WAN gateway as host:port.", Required = true };
        var baud = new Option<int>("--baud") { Description = "The line's baud rate (default 115200).", DefaultValueFactory = _ => 115200 };
        var command = new Command("bridge", "Relay a hub's serial WAN line to the DCC's SM WAN gateway over TCP, byte for byte.")
        {
            line, gateway, baud,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(line)!, parse.GetValue(gateway)!, parse.GetValue(baud), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string line, string gateway, int baud, CancellationToken cancellationToken)
    {
        if (EmulatorCommand.ParseGateway("--gateway", gateway) is not { } tcp)
        {
            return 2;
        }

        if (!SerialSettings.SupportedBaudRates.Contains(baud))
        {
            Console.Error.WriteLine($"--baud {baud}: not a rate the serial driver sets; use one of {string.Join(", ", SerialSettings.SupportedBaudRates)}");
            return 2;
        }

        using var stop = new StopSignal(cancellationToken);
        WanBridge bridge;
        try
        {
            bridge = WanBridge.Start(line, new SerialSettings { BaudRate = baud }, tcp.Host, tcp.Port);
        }
        catch (SerialPortException e)
        {
            Console.Error.WriteLine($"cannot open the WAN line: {e.Message}");
            return 1;
        }

        await using (bridge)
        {
            bridge.StateChanged += s => Console.WriteLine($"bridge {bridge.Describe}: {s}");
            Console.WriteLine($"Bridging {bridge.Describe}; Ctrl-C stops.");
            var ended = await Task.WhenAny(bridge.Completion, stop.WaitAsync());
            Console.WriteLine($"{bridge.BytesToGateway} bytes to the gateway, {bridge.BytesToHub} to the hub, {bridge.BytesDropped} dropped while no connection was up, {bridge.Connections} connections");
            if (ended == bridge.Completion && bridge.Completion.IsFaulted)
            {
                Console.Error.WriteLine($"the bridge stopped: {bridge.Completion.Exception!.InnerException!.Message}");
                return 1;
            }
        }

        return 0;
    }
}

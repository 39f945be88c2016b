using System.CommandLine;
using SecDcc.Rigs.Emulator;

return await EmulatorCommand.Create().Parse(args).InvokeAsync();

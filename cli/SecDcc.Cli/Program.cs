using System.CommandLine;
using SecDcc.Cli;

var root = new RootCommand("SecDcc: conformance suite and hardware-in-the-loop harness for GB smart metering enrolment.");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(MatrixCommand.Create());
root.Subcommands.Add(EvidenceCommand.Create());
root.Subcommands.Add(PpcCommand.Create());
return await root.Parse(args).InvokeAsync();

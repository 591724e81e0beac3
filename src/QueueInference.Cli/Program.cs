using System.CommandLine;
using QueueInference.Cli.Benchmarking;
using QueueInference.Cli.LoadTesting;

RootCommand root = new("queue-inference tools: load tester, benchmark, scale planner, dead-letter tool");
root.Subcommands.Add(LoadCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(EchoCommand.Create());
// Signals are handled by the commands (TerminationSignals), which need more than a fixed grace period to wind down.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

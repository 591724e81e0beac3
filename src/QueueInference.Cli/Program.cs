using System.CommandLine;
using QueueInference.Cli.Benchmarking;
using QueueInference.Cli.CommandLine;
using QueueInference.Cli.DeadLetters;
using QueueInference.Cli.LoadTesting;
using QueueInference.Cli.Planning;

RootCommand root = new("queue-inference tools: load tester, benchmark, scale planner, dead-letter tool");
root.Subcommands.Add(LoadCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(EchoCommand.Create());
root.Subcommands.Add(ModelCostCommand.Create());
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(DeadLetterCommand.Create());
OptionParsers.Apply(root);
ParseResult parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    return UsageErrors.Report(parse, Console.Error);
}

// Long runs handle SIGINT/SIGTERM themselves (TerminationSignals): a fixed 2 s grace would cut off their clean-up.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

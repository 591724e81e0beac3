using System.CommandLine;
using QueueInference.Cli.DeadLetters;

RootCommand root = new("queue-inference tools: load tester, benchmark, scale planner, dead-letter tool");
root.Subcommands.Add(DeadLetterCommand.Create());
return await root.Parse(args).InvokeAsync();

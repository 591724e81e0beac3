using System.CommandLine;

RootCommand root = new("queue-inference tools: load tester, benchmark, scale planner, dead-letter tool");
root.Subcommands.Add(QueueInference.Cli.Planning.PlanCommand.Create());
return await root.Parse(args).InvokeAsync();

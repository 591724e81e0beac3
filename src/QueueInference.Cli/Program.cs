using System.CommandLine;

RootCommand root = new("queue-inference tools: load tester, benchmark, scale planner, dead-letter tool");
return await root.Parse(args).InvokeAsync();

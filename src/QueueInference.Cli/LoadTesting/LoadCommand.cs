using System.CommandLine;
using QueueInference.Cli.CommandLine;

namespace QueueInference.Cli.LoadTesting;

/// <summary><c>qi load</c>: the seed client's measurement as a tool.</summary>
public static class LoadCommand
{
    public static Command Create()
    {
        var broker = new Option<string>("--broker", "-b") { Description = "AMQP URI of the broker", DefaultValueFactory = _ => "amqp://guest:guest@localhost:5672/" };
        var queue = new Option<string>("--queue", "-q") { Description = "request queue to publish to", DefaultValueFactory = _ => "request_queue" };
        var responseQueue = new Option<string?>("--response-queue") { Description = "queue for replies (default: qi-load-<run id>, non-durable, auto-deleted)" };
        var declare = new Option<bool>("--declare-queue") { Description = "declare the request queue (durable, no arguments, as the seed client) instead of requiring it" };
        var count = new Option<int?>("--count", "-n") { Description = "publish this many requests as fast as possible" };
        var rate = new Option<double?>("--rate", "-r") { Description = "open loop: requests per second (needs --duration)" };
        var duration = new Option<TimeSpan?>("--duration", "-d") { Description = "open loop: how long to publish, e.g. 1m (500ms, 3s, 1m, 1h or hh:mm:ss)" };
        var connections = new Option<int>("--connections", "-c") { Description = "publishing connections (one channel each)", DefaultValueFactory = _ => 1 };
        var outstanding = new Option<int>("--max-outstanding") { Description = "most unconfirmed publishes at once", DefaultValueFactory = _ => 1000 };
        var replyTimeout = new Option<TimeSpan>("--reply-timeout") { Description = "a reply later than this after its send counts as late, not replied", DefaultValueFactory = _ => TimeSpan.FromMinutes(5) };
        var wait = new Option<TimeSpan>("--wait") { Description = "how long to wait for replies after the last send", DefaultValueFactory = _ => TimeSpan.FromMinutes(2) };
        var output = new Option<string>("--output", "-o") { Description = "directory in which each run's JSON, Markdown, CSV and PNG reports get a folder load-<run id>", DefaultValueFactory = _ => QiReports.DefaultDirectory };
        var failIf = new Option<string[]>("--fail-if") { Description = "exit 1 when this holds; repeatable. " + FailIfThreshold.Help, AllowMultipleArgumentsPerToken = false };
        var seed = new Option<int?>("--seed") { Description = "random seed for the requests' data (and sizes, with a --values mix)" };
        var values = new Option<string>("--values") { Description = "values per request: a size (5, the seed's) or a weighted mix, e.g. 5:95,4096:5", DefaultValueFactory = _ => "5" };
        var runId = new Option<string?>("--run-id") { Description = "run id for lines and files (default: random)" };

        var command = new Command("load", "Publish seed-format requests and measure the replies (pick-up, processing, total latency as the seed client defines them).")
        {
            broker, queue, responseQueue, declare, count, rate, duration, connections, outstanding, replyTimeout, wait, output, failIf, seed, values, runId,
        };
        values.Validators.Add(result =>
        {
            if (!ValueCountMix.TryParse(result.GetValueOrDefault<string>(), out _, out string error))
            {
                result.AddError(error);
            }
        });
        failIf.Validators.Add(result =>
        {
            foreach (string text in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!FailIfThreshold.TryParse(text, out _, out string error))
                {
                    result.AddError($"--fail-if: {error}");
                }
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var thresholds = new List<FailIfThreshold>();
            foreach (string text in parse.GetValue(failIf) ?? [])
            {
                // The validator above has already rejected unparsable conditions.
                if (FailIfThreshold.TryParse(text, out FailIfThreshold? threshold, out _))
                {
                    thresholds.Add(threshold!);
                }
            }

            var settings = new LoadSettings
            {
                ConnectionString = parse.GetValue(broker)!,
                Queue = parse.GetValue(queue)!,
                ResponseQueue = parse.GetValue(responseQueue),
                DeclareQueue = parse.GetValue(declare),
                Count = parse.GetValue(count),
                Rate = parse.GetValue(rate),
                Duration = parse.GetValue(duration),
                Connections = parse.GetValue(connections),
                MaxOutstandingConfirms = parse.GetValue(outstanding),
                ReplyTimeout = parse.GetValue(replyTimeout),
                Wait = parse.GetValue(wait),
                OutputDirectory = parse.GetValue(output)!,
                FailIf = thresholds,
                RandomSeed = parse.GetValue(seed),
                // The validator above has already rejected an unparsable mix.
                Values = ValueCountMix.Parse(parse.GetValue(values)!),
            };
            RunConsole console = RunConsole.ForStandardOutput("qi-load", parse.GetValue(runId) ?? RunId.New());
            using var signals = new TerminationSignals(cancellationToken);
            return await LoadRunner.RunAsync(settings, console, signals.Token);
        });
        return command;
    }
}

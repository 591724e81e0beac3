using System.CommandLine;
using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Benchmarking;

/// <summary><c>qi echo</c>: the no-work responder the benchmark runs as its ceiling (and tests run the load tester against).</summary>
public static class EchoCommand
{
    public static Command Create()
    {
        var broker = new Option<string>("--broker", "-b") { Description = "AMQP URI of the broker", DefaultValueFactory = _ => "amqp://guest:guest@localhost:5672/" };
        var queue = new Option<string>("--queue", "-q") { Description = "request queue to consume", DefaultValueFactory = _ => "request_queue" };
        var maxInFlight = new Option<ushort>("--max-in-flight") { Description = "prefetch: most unacked requests at once", DefaultValueFactory = _ => 20000 };
        var runId = new Option<string?>("--run-id") { Description = "run id for log lines (default: random)" };
        var command = new Command("echo", "Benchmark ceiling: reply to each request at once (no I/O step, no work), ack after the reply's confirm.")
        {
            broker, queue, maxInFlight, runId,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = RunConsole.ForStandardOutput("qi-echo", parse.GetValue(runId) ?? RunId.New());
            try
            {
                await using EchoResponder responder = await EchoResponder.StartAsync(parse.GetValue(broker)!, parse.GetValue(queue)!, parse.GetValue(maxInFlight), cancellationToken);
                console.Line("consuming '{0}' with at most {1} in flight", parse.GetValue(queue), parse.GetValue(maxInFlight));
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    console.Line("stopping after {0} replies", responder.Replied);
                }

                return 0;
            }
            catch (LoadInputException exception)
            {
                console.Line("error: {0}", exception.Message);
                return LoadRunner.ExitInputError;
            }
        });
        return command;
    }
}

using QueueInference.Cli.LoadTesting;
using QueueInference.Pipeline.Messaging;

namespace QueueInference.Cli.Benchmarking;

/// <summary>The whole benchmark: broker, CPU-limit calibration, scenarios, results files.</summary>
public static class BenchOrchestrator
{
    public static async Task<int> RunAsync(BenchSettings settings, RunConsole console, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> errors = settings.Validate();
        if (errors.Count > 0)
        {
            console.Line("error: {0}", string.Join("; ", errors));
            return LoadRunner.ExitInputError;
        }

        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        TransformationCostRow transformation = TransformationCost.Measure();
        double cpuLimit = 1 / transformation.CpuSecondsPerMessage;
        console.Line("seed transformation at full cost: {0:F3} ms of CPU per message on one core (fastest round {1:F3} ms), so a 1-CPU pod's CPU limit is {2:F0} msg/s", transformation.CpuSecondsPerMessage * 1000, transformation.BestSecondsPerMessage * 1000, cpuLimit);

        PrivateBroker? privateBroker = null;
        try
        {
            if (settings.Broker is null)
            {
                privateBroker = await PrivateBroker.StartAsync($"qibench{console.RunId}", settings.BrokerPort, cancellationToken);
                console.Line("started a private RabbitMQ node at {0}", ConnectionStrings.Redact(privateBroker.ConnectionString));

                // RabbitMQ 3.13+ recommends classic queue storage v2 for every deployment and 4.x has no other; the
                // 3.10 node here still defaults to v1, whose index stalls the queue for seconds after a burst of acks
                // (https://github.com/rabbitmq/rabbitmq-server/releases/tag/v3.13.0). The policy brings it to v2.
                await privateBroker.ControlAsync(["set_policy", "--apply-to", "queues", "classic-queue-v2", ".*", "{\"queue-version\":2}"], cancellationToken);
                console.Line("classic queues on storage version 2 (policy classic-queue-v2), as on RabbitMQ 3.13 and later");
            }

            string broker = settings.Broker ?? privateBroker!.ConnectionString;
            var runner = new BenchRunner(settings, console, broker, privateBroker);
            string? serverVersion = await BrokerChecks.ConnectAsync(broker, () => runner.ServerVersionAsync(cancellationToken));
            IReadOnlyList<ScenarioResult> scenarios;
            bool interrupted = false;
            try
            {
                scenarios = await runner.RunAsync(cpuLimit, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // SIGINT/SIGTERM: the rows measured so far are still worth a results file.
                interrupted = true;
                scenarios = runner.Completed;
                console.Line("interrupted: writing the {0} scenario(s) measured so far", scenarios.Count);
            }

            privateBroker?.KeepLogs(runner.LogDirectory, console.RunId);
            IReadOnlyList<BenchTarget> targets = BenchTargets.Evaluate(scenarios);
            var report = new BenchReport(
                console.RunId,
                startedAt,
                (DateTimeOffset.UtcNow - startedAt).TotalSeconds,
                MachineInfo.Collect(serverVersion),
                runner.SandboxDescription ?? "none",
                settings,
                transformation,
                cpuLimit,
                scenarios.FirstOrDefault(s => s.Name == "seed")?.Ratio,
                interrupted,
                scenarios,
                targets);
            foreach (string line in BenchReportWriter.ResultsTable(scenarios).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                console.Line("{0}", line);
            }

            foreach (string line in BenchReportWriter.ProductionTable(scenarios).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                console.Line("{0}", line);
            }

            foreach (string line in BenchReportWriter.ModelTable(scenarios).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                console.Line("{0}", line);
            }

            foreach (string line in BenchReportWriter.TargetsTable(targets).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                console.Line("{0}", line);
            }

            foreach (string file in await BenchReportWriter.WriteAsync(report, settings.OutputDirectory, CancellationToken.None))
            {
                console.Line("wrote {0}", file);
            }

            // The benchmark reports goals; it fails only when it could not measure (a scenario lost replies, died,
            // or its blip never happened).
            return interrupted || scenarios.Any(s => (s.Lost ?? s.Missing) > 0 || s.ExitedEarly || s.Blip is { Happened: false }) ? 1 : 0;
        }
        catch (LoadInputException exception)
        {
            console.Line("error: {0}", exception.Message);
            return LoadRunner.ExitInputError;
        }
        finally
        {
            if (privateBroker is not null)
            {
                console.Line("stopping the private RabbitMQ node");
                await privateBroker.DisposeAsync();
            }
        }
    }
}

using QueueInference.Cli.CommandLine;
using QueueInference.Pipeline.Messaging;

namespace QueueInference.Cli.LoadTesting;

/// <summary>One <c>qi load</c> run: publish, collect replies, report, judge thresholds.</summary>
public static class LoadRunner
{
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitThresholdFailed = ExitCodes.Failed;
    public const int ExitInputError = ExitCodes.Usage;

    public static async Task<int> RunAsync(LoadSettings settings, RunConsole console, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> errors = settings.Validate();
        if (errors.Count > 0)
        {
            console.Line("error: {0}", string.Join("; ", errors));
            return ExitInputError;
        }

        try
        {
            LoadReport report = await ExecuteAsync(settings, console, cancellationToken);
            LoadReportWriter.PrintSummary(report, console);
            string directory = QiReports.RunDirectory($"load-{console.RunId}", settings.OutputDirectory);
            IReadOnlyList<string> files = await LoadReportWriter.WriteFilesAsync(report, directory, CancellationToken.None);
            console.Line("report in {0}{1}: {2}", directory, Path.DirectorySeparatorChar, string.Join(", ", files.Select(Path.GetFileName)));

            return report.Failed ? ExitThresholdFailed : ExitOk;
        }
        catch (LoadInputException exception)
        {
            console.Line("error: {0}", exception.Message);
            return ExitInputError;
        }
    }

    private static async Task<LoadReport> ExecuteAsync(LoadSettings settings, RunConsole console, CancellationToken cancellationToken)
    {
        string runId = console.RunId;
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        string responseQueue = settings.ResponseQueue ?? $"qi-load-{runId}";
        var schedule = PublishSchedule.FromSettings(settings);
        var ledger = new MessageLedger(settings.ReplyTimeout);

        await BrokerChecks.EnsureRequestQueueAsync(settings.ConnectionString, settings.Queue, settings.DeclareQueue, cancellationToken);
        await using ReplyCollector collector = await BrokerChecks.ConnectAsync(settings.ConnectionString,
            () => ReplyCollector.StartAsync(settings.ConnectionString, $"qi-load-{runId}", responseQueue, ledger, cancellationToken));
        await using RequestPublisher publisher = await BrokerChecks.ConnectAsync(settings.ConnectionString,
            () => RequestPublisher.ConnectAsync(settings.ConnectionString, $"qi-load-{runId}", settings.Connections, settings.MaxOutstandingConfirms, cancellationToken));

        console.Line("publishing {0} requests of {1} values to '{2}' on {3}, replies to '{4}', {5} connection(s), at most {6} unconfirmed",
            settings.Rate is { } rate ? $"{rate:F1}/s for {settings.Duration!.Value.TotalSeconds:F0} s (open loop, ~{schedule.ExpectedCount})" : $"{settings.Count} (as fast as possible)",
            settings.Values, settings.Queue, ConnectionStrings.Redact(settings.ConnectionString), responseQueue, settings.Connections, settings.MaxOutstandingConfirms);

        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task progress = ProgressReporter.RunAsync(console, ledger, () => publisher.Confirmed, progressStop.Token);
        var random = settings.RandomSeed is { } seed ? new Random(seed) : new Random();
        try
        {
            await publisher.PublishAsync(schedule, settings.Values, settings.Queue, responseQueue, ledger, random, cancellationToken);
            if (!await collector.WaitForAllAsync(settings.Wait, cancellationToken))
            {
                console.Line("stopped waiting after {0:F0} s: {1} requests without a reply", settings.Wait.TotalSeconds, ledger.Missing);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.Line("interrupted: reporting what was measured so far");
        }
        finally
        {
            await progressStop.CancelAsync();
            await progress;
        }

        LoadSummary summary = LoadSummary.Create(runId, settings.Queue, ledger, publisher.Failed);
        ThresholdResult[] thresholds = [.. settings.FailIf.Select(t => t.Evaluate(summary))];
        return new LoadReport(
            "qi load",
            startedAt,
            ConnectionStrings.Redact(settings.ConnectionString),
            settings.Rate is null ? "count" : "open-loop rate",
            settings.Rate,
            settings.Duration?.TotalSeconds,
            settings.Connections,
            settings.MaxOutstandingConfirms,
            settings.Values.ToString(),
            publisher.MaxScheduleLagSeconds,
            summary,
            thresholds);
    }
}

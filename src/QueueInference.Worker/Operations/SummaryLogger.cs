using System.Globalization;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Observability;
using QueueInference.Worker.Consuming;

namespace QueueInference.Worker.Operations;

/// <summary>One Information line per interval, so <c>kubectl logs</c> tells how the pod is doing without a metrics stack.</summary>
public sealed partial class SummaryLogger(ConsumerState state, PipelineMetrics metrics, IOptions<ObservabilityOptions> options, TimeProvider timeProvider, ILogger<SummaryLogger> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan interval = options.Value.SummaryInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, timeProvider);
        long replied = state.Replied;
        long deadLettered = state.DeadLettered;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                long nowReplied = state.Replied;
                long nowDeadLettered = state.DeadLettered;
                (double p50, double p99, _) = metrics.RecentLatencies.TakePercentiles();
                // An interval without replies has no percentiles (NaN): say so instead.
                string latencies = double.IsNaN(p50)
                    ? "no end-to-end latency (nothing replied in this interval)"
                    : string.Create(CultureInfo.InvariantCulture, $"end-to-end p50 {p50 * 1000:F0} ms p99 {p99 * 1000:F0} ms");
                LogSummary(logger, (nowReplied - replied) / interval.TotalSeconds, nowDeadLettered - deadLettered, state.Retried, state.InFlight, latencies, state.IsConnected);
                (replied, deadLettered) = (nowReplied, nowDeadLettered);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Summary: {RepliedPerSecond:F1} replies/s, {DeadLettered} dead-lettered, {Retried} retried in all, {InFlight} in flight, {Latencies}, connected {Connected}")]
    private static partial void LogSummary(ILogger logger, double repliedPerSecond, long deadLettered, long retried, int inFlight, string latencies, bool connected);
}

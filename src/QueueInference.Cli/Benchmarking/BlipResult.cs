using System.Globalization;
using System.Text.RegularExpressions;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// A blip scenario's broker disturbance, as reported. The command is issued when the worker's
/// <c>queueinference_requests_in_flight</c> first reaches <see cref="Threshold"/>; rabbitmqctl takes
/// seconds to start on a busy machine, so the figure judged is <see cref="InFlightAtBlip"/>: the gauge's
/// last value while <c>queueinference_consumer_connected</c> was still 1, polled every 100 ms.
/// Times in seconds since the process started.
/// </summary>
/// <param name="Action">What was done, e.g. <c>rabbitmqctl close_all_connections</c>.</param>
/// <param name="Happened">False when the trigger was never reached (the worker never held enough in flight).</param>
/// <param name="MaxInFlightSeen">Highest in-flight value read before the trigger (or before giving up).</param>
/// <param name="WorkerReconnectedAfterSeconds">Connection lost to connected again, from /metrics.</param>
/// <param name="CommandSeconds">From issuing the first command to the last one returning (blip-stop: the broker's outage).</param>
/// <param name="CollectorRecoveries">Times the benchmark's reply collector reconnected.</param>
/// <param name="CollectorRedeliveries">Replies the broker delivered to the collector again after its connection dropped (not duplicates).</param>
/// <param name="Error">A rabbitmqctl failure, if any.</param>
public sealed partial record BlipResult(
    string Action,
    bool Happened,
    long Threshold,
    long? InFlightAtTrigger,
    long? InFlightAtBlip,
    long? MaxInFlightSeen,
    double? TriggeredAtSeconds,
    double? ConnectionLostAtSeconds,
    double? WorkerReconnectedAfterSeconds,
    double? CommandSeconds,
    int CollectorRecoveries,
    long CollectorRedeliveries,
    string? Error)
{
    /// <summary>The fragment of the worker's log line when consuming resumes after a connection loss.</summary>
    public const string WorkerRecoveredLine = "Connection recovered after";

    /// <summary>What the disturbance hit, e.g. which cluster node was killed.</summary>
    public string? Detail { get; init; }

    /// <summary>When the disturbance took effect (the kill; close_all_connections or stop_app returning), since the process started.</summary>
    public double? DisturbedAtSeconds { get; init; }

    /// <summary>From the disturbance to the worker's first "Connection recovered" log line after it, as the benchmark read it.</summary>
    public double? WorkerLogRecoveredAfterSeconds { get; init; }

    /// <summary>The outage that line reports: the worker's own time from noticing the loss to consuming again.</summary>
    public double? WorkerReportedOutageSeconds { get; init; }

    /// <summary>Duplicate replies as a share of the requests in flight at the blip (the issue's ≤ 1 %).</summary>
    public static double? DuplicateShare(long duplicates, long? inFlight) => inFlight is > 0 ? (double)duplicates / inFlight.Value : null;

    /// <param name="workerLines">The worker's output lines containing <see cref="WorkerRecoveredLine"/>, with when they were read.</param>
    public static BlipResult From(BrokerBlip blip, BlipOutcome outcome, double podStartedAt, int collectorRecoveries, long collectorRedeliveries, IReadOnlyList<PodLogLine> workerLines) =>
        From(blip.Action, blip.Threshold, outcome, podStartedAt, collectorRecoveries, collectorRedeliveries, workerLines);

    /// <summary>As above, for a blip described by its <paramref name="action"/> and <paramref name="threshold"/>.</summary>
    public static BlipResult From(string action, long threshold, BlipOutcome outcome, double podStartedAt, int collectorRecoveries, long collectorRedeliveries, IReadOnlyList<PodLogLine> workerLines)
    {
        // The first recovery logged once the commands were issued: one before belongs to an earlier outage.
        PodLogLine? recovered = outcome.DisturbedAt is not null && outcome.TriggeredAt is { } issued
            ? workerLines.FirstOrDefault(line => line.At >= issued && line.Text.Contains(WorkerRecoveredLine, StringComparison.Ordinal))
            : null;
        return new BlipResult(
            action,
            outcome.Happened,
            threshold,
            outcome.InFlightAtTrigger,
            outcome.InFlightAtBlip,
            outcome.MaxInFlightSeen,
            outcome.TriggeredAt - podStartedAt,
            outcome.ConnectionLostAt - podStartedAt,
            outcome.ReconnectedAt - outcome.ConnectionLostAt,
            outcome.CommandSeconds,
            collectorRecoveries,
            collectorRedeliveries,
            outcome.Error)
        {
            Detail = outcome.Detail,
            DisturbedAtSeconds = outcome.DisturbedAt - podStartedAt,
            WorkerLogRecoveredAfterSeconds = recovered?.At - outcome.DisturbedAt,
            WorkerReportedOutageSeconds = recovered is null ? null : ReportedOutageSeconds(recovered.Text),
        };
    }

    /// <summary>The seconds in the worker's "Connection recovered after 3.2 s, to …" line; null when the line has none.</summary>
    public static double? ReportedOutageSeconds(string line) =>
        RecoveredAfter().Match(line) is { Success: true } match
        && double.TryParse(match.Groups["seconds"].Value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            ? seconds
            : null;

    [GeneratedRegex(@"Connection recovered after (?<seconds>\d+(?:[.,]\d+)?) s")]
    private static partial Regex RecoveredAfter();
}

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
public sealed record BlipResult(
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
    /// <summary>What the disturbance hit, e.g. which cluster node was killed.</summary>
    public string? Detail { get; init; }

    /// <summary>The cluster node killed (cluster-kill).</summary>
    public int? Node { get; init; }

    /// <summary>When the disturbance took effect (the kill; close_all_connections or stop_app returning), since the process started.</summary>
    public double? DisturbedAtSeconds { get; init; }

    /// <summary>From the disturbance to the worker's first "Connection recovered" log line after it, as the benchmark read it.</summary>
    public double? WorkerLogRecoveredAfterSeconds { get; init; }

    /// <summary>The outage that line reports: the worker's own time from noticing the loss to consuming again.</summary>
    public double? WorkerReportedOutageSeconds { get; init; }

    /// <summary>The requests in flight the worker's "Connection lost" line after the trigger reports (its deliveries on the lost connection).</summary>
    public long? WorkerLoggedInFlightAtLoss { get; init; }

    /// <summary>Where <see cref="InFlightAtBlip"/> comes from: <c>metrics</c> (the gauge) or <c>worker log</c> (the loss was over before /metrics showed it).</summary>
    public string? InFlightAtBlipSource { get; init; }

    /// <summary>Duplicate replies as a share of the requests in flight at the blip (the issue's ≤ 1 %).</summary>
    public static double? DuplicateShare(long duplicates, long? inFlight) => inFlight is > 0 ? (double)duplicates / inFlight.Value : null;

    /// <param name="workerLines">The worker's output lines about outages (<see cref="WorkerOutageLog.Fragments"/>), with when they were read.</param>
    public static BlipResult From(BrokerBlip blip, BlipOutcome outcome, double podStartedAt, int collectorRecoveries, long collectorRedeliveries, IReadOnlyList<PodLogLine> workerLines) =>
        From(blip.Action, blip.Threshold, outcome, podStartedAt, collectorRecoveries, collectorRedeliveries, workerLines);

    /// <summary>As above, for a blip described by its <paramref name="action"/> and <paramref name="threshold"/>.</summary>
    public static BlipResult From(string action, long threshold, BlipOutcome outcome, double podStartedAt, int collectorRecoveries, long collectorRedeliveries, IReadOnlyList<PodLogLine> workerLines)
    {
        // Lines logged once the commands were issued: earlier ones belong to an earlier outage.
        PodLogLine? lost = outcome.TriggeredAt is { } issued ? WorkerOutageLog.FirstSince(workerLines, WorkerOutageLog.LostFragment, issued) : null;
        PodLogLine? recovered = outcome.DisturbedAt is not null && outcome.TriggeredAt is { } since
            ? WorkerOutageLog.FirstSince(workerLines, WorkerOutageLog.RecoveredFragment, since)
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
            Node = outcome.Node,
            DisturbedAtSeconds = outcome.DisturbedAt - podStartedAt,
            WorkerLogRecoveredAfterSeconds = recovered?.At - outcome.DisturbedAt,
            WorkerReportedOutageSeconds = recovered is null ? null : WorkerOutageLog.ReportedOutageSeconds(recovered.Text),
            WorkerLoggedInFlightAtLoss = lost is null ? null : WorkerOutageLog.InFlightAtLoss(lost.Text),
            InFlightAtBlipSource = outcome.Happened ? outcome.InFlightSource : null,
        };
    }
}

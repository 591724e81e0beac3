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
    /// <summary>Duplicate replies as a share of the requests in flight at the blip (the issue's ≤ 1 %).</summary>
    public static double? DuplicateShare(long duplicates, long? inFlight) => inFlight is > 0 ? (double)duplicates / inFlight.Value : null;

    public static BlipResult From(BrokerBlip blip, BlipOutcome outcome, double podStartedAt, int collectorRecoveries, long collectorRedeliveries) => new(
        blip.Action,
        outcome.Happened,
        blip.Threshold,
        outcome.InFlightAtTrigger,
        outcome.InFlightAtBlip,
        outcome.MaxInFlightSeen,
        outcome.TriggeredAt - podStartedAt,
        outcome.ConnectionLostAt - podStartedAt,
        outcome.ReconnectedAt - outcome.ConnectionLostAt,
        outcome.CommandSeconds,
        collectorRecoveries,
        collectorRedeliveries,
        outcome.Error);
}

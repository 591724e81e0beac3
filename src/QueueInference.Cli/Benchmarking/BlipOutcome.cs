namespace QueueInference.Cli.Benchmarking;

/// <summary>What <see cref="BrokerBlip.RunAsync"/> saw; times in Unix seconds.</summary>
/// <param name="Happened">False when the in-flight trigger was never reached.</param>
/// <param name="InFlightAtTrigger">The gauge when the command was issued.</param>
/// <param name="InFlightAtBlip">The last gauge read while the worker was still connected, before it reported the connection lost.</param>
/// <param name="MaxInFlightSeen">Highest gauge read before the trigger.</param>
/// <param name="TriggeredAt">When the first command was issued.</param>
/// <param name="ConnectionLostAt">When /metrics first showed the worker disconnected; null if never seen.</param>
/// <param name="ReconnectedAt">When it showed the worker connected again; null if not within two minutes after the commands.</param>
/// <param name="CommandSeconds">From issuing the first command to the last one returning (blip-stop: the outage).</param>
public sealed record BlipOutcome(
    bool Happened,
    long? InFlightAtTrigger,
    long? InFlightAtBlip,
    long? MaxInFlightSeen,
    double? TriggeredAt,
    double? ConnectionLostAt,
    double? ReconnectedAt,
    double? CommandSeconds,
    string? Error)
{
    /// <summary>When the disturbance took effect (<see cref="BlipEffect.At"/>); null when it failed or never happened.</summary>
    public double? DisturbedAt { get; init; }

    /// <summary>What it hit, e.g. which node was killed (<see cref="BlipEffect.Detail"/>).</summary>
    public string? Detail { get; init; }

    /// <summary>The cluster node killed (<see cref="BlipEffect.Node"/>).</summary>
    public int? Node { get; init; }

    /// <summary>
    /// Where <see cref="InFlightAtBlip"/> comes from: <c>metrics</c> (the gauge's last value while connected),
    /// <c>worker log</c> (its "Connection lost" line: the outage was over before /metrics showed it), or the trigger.
    /// </summary>
    public string? InFlightSource { get; init; }

    public static BlipOutcome NotTriggered(long? maxInFlightSeen) => new(false, null, null, maxInFlightSeen, null, null, null, null, null);
}

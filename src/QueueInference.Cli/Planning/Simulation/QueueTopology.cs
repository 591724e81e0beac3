using QueueInference.Cli.Planning.Autoscaling;

namespace QueueInference.Cli.Planning.Simulation;

/// <summary>
/// The queues the consumers read, assumed evenly loaded (partitioned names, round-robin publishing).
/// </summary>
/// <param name="MaxDeliveriesPerSecondPerQueue">
/// What one queue can hand out; a RabbitMQ queue is one Erlang process, so one queue tops out at tens of
/// thousands of msg/s whatever the number of consumers. Null means no broker limit.
/// </param>
public sealed record QueueTopology(int Queues, double? MaxDeliveriesPerSecondPerQueue, TriggerCombination Combination)
{
    public static QueueTopology SingleUnlimited { get; } = new(1, null, TriggerCombination.Sum);

    /// <summary>
    /// The value the HPA compares with the target, given the total over all queues. RabbitMQ reports whole
    /// messages, so the fluid total is rounded: a residue of 1e-9 messages must not keep a trigger active.
    /// </summary>
    public double MetricSeenByHpa(double totalOverAllQueues) =>
        Math.Round(Combination == TriggerCombination.Sum ? totalOverAllQueues : totalOverAllQueues / Queues);

    /// <summary>Most messages the broker delivers in one step, or +infinity.</summary>
    public double DeliveryLimit(double stepSeconds) =>
        MaxDeliveriesPerSecondPerQueue is { } perQueue ? perQueue * Queues * stepSeconds : double.PositiveInfinity;

    /// <summary>Queues needed so that the broker is not the bottleneck at <paramref name="peakRate"/>.</summary>
    public int QueuesNeededFor(double peakRate) =>
        MaxDeliveriesPerSecondPerQueue is { } perQueue && perQueue > 0 ? Math.Max(1, (int)Math.Ceiling(peakRate / perQueue)) : 1;
}

namespace QueueInference.Cli.Planning.Simulation;

/// <summary>
/// A fluid slice of messages that were published at the same time; <paramref name="DueSeconds"/> is when the
/// slice's I/O step ends once it is in flight.
/// </summary>
public readonly record struct MessageCohort(double Amount, double ArrivalSeconds, double DueSeconds);

namespace QueueInference.Cli.LoadTesting;

/// <summary>One request (of <paramref name="Values"/> values) with its first in-time reply; all timestamps in Unix seconds.</summary>
public readonly record struct CompletedMessage(double SendTimestamp, double PickUpTimestamp, double ResponseTimestamp, double ReceivedTimestamp, int Values = SeedRequest.DataLength)
{
    /// <summary>The seed's pick-up latency: pick_up − send.</summary>
    public double PickUpLatency => PickUpTimestamp - SendTimestamp;

    /// <summary>The seed's processing latency: response − pick_up.</summary>
    public double ProcessingLatency => ResponseTimestamp - PickUpTimestamp;

    /// <summary>The seed's total latency: response − send.</summary>
    public double TotalLatency => ResponseTimestamp - SendTimestamp;

    /// <summary>What the client saw: reply received − send (adds the reply's trip through the broker).</summary>
    public double RoundTripLatency => ReceivedTimestamp - SendTimestamp;
}

namespace QueueInference.Cli.Planning.Profiles;

/// <summary>Publish rate into the queue over simulated time.</summary>
public interface ILoadProfile
{
    /// <summary>Messages per second published at <paramref name="timeSeconds"/>.</summary>
    double RateAt(double timeSeconds);

    /// <summary>The profile as the user wrote it, with rates resolved to msg/s.</summary>
    string Description { get; }
}

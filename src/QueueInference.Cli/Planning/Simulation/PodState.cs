namespace QueueInference.Cli.Planning.Simulation;

public enum PodState
{
    /// <summary>Created, not yet consuming.</summary>
    Starting,

    /// <summary>Consuming and processing.</summary>
    Running,

    /// <summary>Removed from the Deployment: no new deliveries, finishing what it holds.</summary>
    Draining,
}

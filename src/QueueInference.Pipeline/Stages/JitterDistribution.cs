namespace QueueInference.Pipeline.Stages;

/// <summary>How the simulated I/O step's extra delay is drawn.</summary>
public enum JitterDistribution
{
    /// <summary>Always exactly <see cref="IoStepOptions.Delay"/>, as in the seed.</summary>
    None,

    /// <summary>Delay plus a uniform draw from [0, Jitter).</summary>
    Uniform,

    /// <summary>Delay plus an exponential draw with mean Jitter (a long tail, as real I/O has).</summary>
    Exponential,
}

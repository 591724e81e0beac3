using System.ComponentModel.DataAnnotations;

namespace QueueInference.Pipeline.Stages;

/// <summary>The simulated I/O step (section <c>IoStep</c>); ignored when you register your own <see cref="IIoStep"/>.</summary>
public sealed class IoStepOptions
{
    public const string SectionName = "IoStep";

    /// <summary>Fixed part of the delay; the seed's worker waited 3 s.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Scale of the random part, drawn per <see cref="Distribution"/>.</summary>
    public TimeSpan Jitter { get; set; } = TimeSpan.Zero;

    public JitterDistribution Distribution { get; set; } = JitterDistribution.None;

    /// <summary>
    /// Share of calls that fail (after their delay) with a simulated I/O error, to exercise the
    /// retry and dead-letter path; 0 in production.
    /// </summary>
    [Range(0.0, 1.0)]
    public double FailureRate { get; set; }
}

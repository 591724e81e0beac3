using System.ComponentModel.DataAnnotations;
using QueueInference.Pipeline.Configuration;

namespace QueueInference.Pipeline.Processing;

/// <summary>Limits on one request's whole journey (section <c>Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>
    /// Longest a request may take from pick-up to confirmed reply, every stage included; past it
    /// the attempt fails (and is retried). Keep it well above IoStep:Delay plus its jitter.
    /// </summary>
    [DurationRange("100ms", "1h")]
    public TimeSpan MessageTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Threads that run the CPU stages (transformation, inference, reply body), apart from the thread pool
    /// that serves the broker; 0 means one per CPU of the container.
    /// </summary>
    [Range(0, 256)]
    public int ComputeThreads { get; set; }
}

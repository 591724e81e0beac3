using System.ComponentModel.DataAnnotations;

namespace QueueInference.Pipeline.Observability;

/// <summary>Health, metrics and the periodic summary (section <c>Observability</c>).</summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    /// <summary>HTTP port for /health/live, /health/ready and /metrics (worker); /metrics only in the Functions app.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 8080;

    /// <summary>How often one summary line (rates, in flight, latency percentiles) is logged; 0 turns it off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SummaryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Liveness fails when requests are in flight but none has finished for this long: every
    /// request ends within Pipeline:MessageTimeout, so a longer silence means a wedged process.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(3);
}

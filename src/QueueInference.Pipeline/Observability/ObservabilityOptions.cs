using System.ComponentModel.DataAnnotations;
using QueueInference.Pipeline.Configuration;

namespace QueueInference.Pipeline.Observability;

/// <summary>Health, metrics and the periodic summary (section <c>Observability</c>).</summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    /// <summary>HTTP port for /health/live, /health/ready and /metrics (worker); /metrics only in the Functions app.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 8080;

    /// <summary>How often one summary line (rates, in flight, latency percentiles) is logged; 0 turns it off.</summary>
    [DurationRange("0", "1h")]
    public TimeSpan SummaryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Liveness fails when requests are in flight but none has finished for this long: every
    /// request ends within Pipeline:MessageTimeout, so a longer silence means a wedged process.
    /// </summary>
    [DurationRange("1s", "1h")]
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(3);
}

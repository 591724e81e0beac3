using System.ComponentModel.DataAnnotations;
using QueueInference.Pipeline.Configuration;

namespace QueueInference.Pipeline.Messaging;

/// <summary>Retries of failed requests and the poison guard (section <c>Retry</c>), used by the worker host.</summary>
public sealed class RetryOptions
{
    public const string SectionName = "Retry";

    /// <summary>Attempts in all, the first included; after the last failure the request is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; each further retry waits twice as long, up to <see cref="MaxDelay"/>.</summary>
    [DurationRange("10ms", "24h")]
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    [DurationRange("10ms", "24h")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Broker redeliveries a request may have (each after a consumer died holding it) before it
    /// counts as poison that crashes the process and is dead-lettered.
    /// </summary>
    [Range(1, 100)]
    public int MaxRedeliveries { get; set; } = 3;

    /// <summary>The wait before retry number <paramref name="attempt"/> (1 = the first retry).</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        double milliseconds = InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Max(attempt - 1, 0));
        return TimeSpan.FromMilliseconds(Math.Min(milliseconds, MaxDelay.TotalMilliseconds));
    }
}

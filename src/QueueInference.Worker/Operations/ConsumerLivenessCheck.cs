using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Observability;
using QueueInference.Worker.Consuming;

namespace QueueInference.Worker.Operations;

/// <summary>
/// Alive unless wedged: requests are in flight yet none has finished for longer than any request
/// may take (Observability:StallTimeout), or the broker refuses the worker in a way retrying rarely
/// fixes (credentials, permissions, an unknown vhost, a queue's arguments). Idle, connecting or a
/// broker outage are not reasons to restart the process, so they stay live; readiness reports those.
/// </summary>
/// <remarks>
/// The health check service's own log of failed probes is filtered out (<see cref="QueueConsumerHostBuilderExtensions"/>),
/// so this check says why liveness fails; the broker's refusal is the consumer's line.
/// </remarks>
public sealed partial class ConsumerLivenessCheck(ConsumerState state, IOptions<ObservabilityOptions> options, ILogger<ConsumerLivenessCheck> logger) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (state.Refusal is { } refusal)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"the broker refuses this worker: {refusal}"));
        }

        TimeSpan silence = state.SinceLastFinished;
        int inFlight = state.InFlight;
        if (inFlight > 0 && silence > options.Value.StallTimeout)
        {
            LogStalled(logger, inFlight, silence.TotalSeconds);
            return Task.FromResult(HealthCheckResult.Unhealthy($"{inFlight} in flight and none finished for {silence.TotalSeconds:F0} s"));
        }

        return Task.FromResult(HealthCheckResult.Healthy(inFlight > 0 ? "making progress" : "idle"));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Stalled: {InFlight} request(s) in flight and none finished for {Seconds:F0} s (more than Observability:StallTimeout); /health/live answers 503")]
    private static partial void LogStalled(ILogger logger, int inFlight, double seconds);
}

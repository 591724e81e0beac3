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
public sealed class ConsumerLivenessCheck(ConsumerState state, IOptions<ObservabilityOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (state.Refusal is { } refusal)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"the broker refuses this worker: {refusal}"));
        }

        TimeSpan silence = state.SinceLastFinished;
        bool wedged = state.InFlight > 0 && silence > options.Value.StallTimeout;
        return Task.FromResult(wedged
            ? HealthCheckResult.Unhealthy($"{state.InFlight} in flight and none finished for {silence.TotalSeconds:F0} s")
            : HealthCheckResult.Healthy(state.InFlight > 0 ? "making progress" : "idle"));
    }
}

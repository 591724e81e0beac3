using Microsoft.Extensions.Diagnostics.HealthChecks;
using QueueInference.Worker.Consuming;

namespace QueueInference.Worker.Operations;

/// <summary>Ready = connected and consuming, and not draining: only then should the pod count as serving.</summary>
public sealed class ConsumerReadinessCheck(ConsumerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            state.IsDraining ? HealthCheckResult.Unhealthy("draining")
            : !state.IsConnected ? HealthCheckResult.Unhealthy("not connected to the broker")
            : !state.IsConsuming ? HealthCheckResult.Unhealthy("not consuming yet")
            : HealthCheckResult.Healthy($"consuming, {state.InFlight} in flight"));
}

using Prometheus;

namespace QueueInference.Worker.Operations;

/// <summary>The worker's small HTTP surface for Kubernetes probes and Prometheus.</summary>
public static class OperationalEndpointExtensions
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>Maps GET /health/live, /health/ready (200 or 503) and /metrics.</summary>
    public static WebApplication MapOperationalEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapMetrics("/metrics");
        return app;
    }
}

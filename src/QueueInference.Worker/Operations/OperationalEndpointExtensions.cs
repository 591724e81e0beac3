using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
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
        app.MapHealthChecks("/health/live", new() { Predicate = check => check.Tags.Contains(LiveTag), ResponseWriter = WriteStatusAndReasonsAsync });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteStatusAndReasonsAsync });
        app.MapMetrics("/metrics");
        return app;
    }

    /// <summary>"Unhealthy: not connected to the broker" tells an operator more than "Unhealthy".</summary>
    private static Task WriteStatusAndReasonsAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        string reasons = string.Join("; ", report.Entries.Select(entry => $"{entry.Key}: {entry.Value.Description}"));
        return context.Response.WriteAsync($"{report.Status}: {reasons}\n");
    }
}

using Microsoft.Extensions.Configuration;

namespace QueueInference.Pipeline.Observability;

/// <summary>
/// Which OpenTelemetry exports the standard <c>OTEL_*</c> variables ask for (read through configuration, so
/// <c>appsettings.json</c> or <c>local.settings.json</c> may set them too). A signal goes out over OTLP when an
/// endpoint is set for it (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_ENDPOINT</c>)
/// and its <c>OTEL_{TRACES,METRICS,LOGS}_EXPORTER</c> (default <c>otlp</c>) names <c>otlp</c>; <c>console</c> there
/// prints it on standard output instead or as well; <c>none</c> turns it off; <c>OTEL_SDK_DISABLED=true</c> turns
/// everything off. The OpenTelemetry SDK itself reads the rest (protocol, headers, sampler, batch sizes, resource).
/// </summary>
public sealed record OpenTelemetrySettings(bool TracesOtlp, bool TracesConsole, bool MetricsOtlp, bool MetricsConsole, bool LogsOtlp)
{
    /// <summary>The service name when neither <c>OTEL_SERVICE_NAME</c> nor <c>service.name</c> in <c>OTEL_RESOURCE_ATTRIBUTES</c> gives one.</summary>
    public const string DefaultServiceName = "queue-inference";

    public bool AnyOtlp => TracesOtlp || MetricsOtlp || LogsOtlp;

    public bool Traces => TracesOtlp || TracesConsole;

    public bool Metrics => MetricsOtlp || MetricsConsole;

    public bool Any => Traces || Metrics || LogsOtlp;

    public static OpenTelemetrySettings From(IConfiguration configuration)
    {
        if (string.Equals(configuration["OTEL_SDK_DISABLED"]?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return new OpenTelemetrySettings(false, false, false, false, false);
        }

        bool anyEndpoint = HasValue(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT");
        string[] traces = Exporters(configuration, "OTEL_TRACES_EXPORTER");
        string[] metrics = Exporters(configuration, "OTEL_METRICS_EXPORTER");
        string[] logs = Exporters(configuration, "OTEL_LOGS_EXPORTER");
        return new OpenTelemetrySettings(
            TracesOtlp: traces.Contains("otlp") && (anyEndpoint || HasValue(configuration, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")),
            TracesConsole: traces.Contains("console"),
            MetricsOtlp: metrics.Contains("otlp") && (anyEndpoint || HasValue(configuration, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")),
            MetricsConsole: metrics.Contains("console"),
            LogsOtlp: logs.Contains("otlp") && (anyEndpoint || HasValue(configuration, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT")));
    }

    /// <summary>Whether the resource variables already name the service.</summary>
    public static bool NamesService(IConfiguration configuration) =>
        HasValue(configuration, "OTEL_SERVICE_NAME")
        || (configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? string.Empty).Split(',').Any(pair => pair.Trim().StartsWith("service.name=", StringComparison.Ordinal));

    private static bool HasValue(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);

    private static string[] Exporters(IConfiguration configuration, string key) =>
        configuration[key] is { } value && !string.IsNullOrWhiteSpace(value)
            ? [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e => e.ToLowerInvariant())]
            : ["otlp"];
}

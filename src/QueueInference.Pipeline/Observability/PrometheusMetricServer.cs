using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Prometheus;

namespace QueueInference.Pipeline.Observability;

/// <summary>
/// Serves /metrics on <see cref="ObservabilityOptions.Port"/> for a host that has no HTTP server of
/// its own (the Functions isolated worker); the worker host maps /metrics on its Kestrel instead.
/// </summary>
internal sealed class PrometheusMetricServer(IOptions<ObservabilityOptions> options) : IHostedService, IDisposable
{
    private MetricServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new MetricServer(hostname: "+", port: options.Value.Port, url: "metrics/");
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    public void Dispose() => _server?.Dispose();
}

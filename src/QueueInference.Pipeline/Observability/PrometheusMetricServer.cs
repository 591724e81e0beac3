using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Prometheus;
using QueueInference.Pipeline.Hosting;

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
        int port = options.Value.Port;
        _server = new MetricServer(hostname: "+", port: port, url: "metrics/");
        try
        {
            _server.Start();
        }
        catch (HttpListenerException exception)
        {
            // HttpListener reports a port in use (or refused) with the OS's words and no SocketException inside, so
            // HostRunner's check for Kestrel's bind failure does not see it; say it the same way here.
            throw new HostExitException(
                ExitCodes.InvalidConfiguration,
                $"cannot listen on port {port} for /metrics: {exception.Message}; stop what holds it, or {HostRunner.ChooseAnotherPort}");
        }

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

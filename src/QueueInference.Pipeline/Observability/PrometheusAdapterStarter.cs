using Microsoft.Extensions.Hosting;
using Prometheus;

namespace QueueInference.Pipeline.Observability;

/// <summary>
/// prometheus-net starts its Meter listener on the first collection, so counts recorded before
/// the first scrape would be lost; collecting once at start-up, before the consumer runs, makes
/// every request count.
/// </summary>
internal sealed class PrometheusAdapterStarter : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

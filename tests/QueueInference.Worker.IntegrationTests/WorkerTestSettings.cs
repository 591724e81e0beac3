namespace QueueInference.Worker.IntegrationTests;

/// <summary>Worker settings for one test: its own queue, short I/O delays so the suite stays quick.</summary>
internal static class WorkerTestSettings
{
    public static Dictionary<string, string> For(string amqpUrl, string requestQueue, TimeSpan ioDelay, int maxInFlight = 20_000) => new()
    {
        ["RabbitMQ:ConnectionString"] = amqpUrl,
        ["RabbitMQ:RequestQueue"] = requestQueue,
        ["IoStep:Delay"] = ioDelay.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Consumer:MaxInFlight"] = maxInFlight.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Consumer:DrainTimeout"] = "00:00:20",
        ["Observability:Port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string NewQueueName(string test) => $"requests.{test}.{Guid.NewGuid():N}";
}

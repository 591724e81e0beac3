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
    };

    public static string NewQueueName(string test) => $"requests.{test}.{Guid.NewGuid():N}";
}

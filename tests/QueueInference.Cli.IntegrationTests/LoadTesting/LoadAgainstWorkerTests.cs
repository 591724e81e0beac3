using System.Globalization;
using System.Text.Json;
using QueueInference.Cli.LoadTesting;
using QueueInference.Testing;

namespace QueueInference.Cli.IntegrationTests.LoadTesting;

[Collection(SharedBroker.Name)]
public sealed class LoadAgainstWorkerTests(TestBroker broker)
{
    [Fact]
    public async Task RunAsync_AgainstTheWorker_EveryRequestRepliedWithTheSeedsLatencies()
    {
        string queue = $"it-worker-{Guid.NewGuid():N}";
        var ioDelay = TimeSpan.FromMilliseconds(200);
        var settings = new Dictionary<string, string>
        {
            ["RabbitMQ:ConnectionString"] = broker.AmqpUrl,
            ["RabbitMQ:RequestQueue"] = queue,
            ["IoStep:Delay"] = ioDelay.ToString("c", CultureInfo.InvariantCulture),
            ["Observability:Port"] = FreePort().ToString(CultureInfo.InvariantCulture),
        };
        await using WorkerProcess worker = WorkerProcess.Start(Path.Combine(AppContext.BaseDirectory, "QueueInference.Worker.dll"), settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(60));
        string directory = Path.Combine(Path.GetTempPath(), $"it-reports-{Guid.NewGuid():N}");
        var load = new LoadSettings
        {
            ConnectionString = broker.AmqpUrl,
            Queue = queue,
            Count = 300,
            OutputDirectory = directory,
            Wait = TimeSpan.FromSeconds(60),
            FailIf = [Parse("missing>0"), Parse("duplicates>0"), Parse("unknown>0")],
        };

        int exitCode = await LoadRunner.RunAsync(load, new RunConsole("qi-load", "worker", new StringWriter(), isTerminal: false), CancellationToken.None);

        Assert.Equal(LoadRunner.ExitOk, exitCode);
        using JsonDocument report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "load-worker", "qi-load-worker.json")));
        JsonElement summary = report.RootElement.GetProperty("summary");
        Assert.Equal(300, summary.GetProperty("replied").GetInt64());
        // The worker's I/O step sits between pick-up and response: the seed's processing latency must contain it whole,
        // as the seed's time.sleep did (the step waits out a timer that fires early on the wall clock). 10 µs for the
        // Unix-second doubles' rounding (about 0.2 µs each).
        double processingMin = summary.GetProperty("processing").GetProperty("min").GetDouble();
        Assert.True(processingMin >= ioDelay.TotalSeconds - 0.000_010, $"processing min {processingMin} s is shorter than the {ioDelay.TotalSeconds} s I/O step");
        Assert.True(summary.GetProperty("total").GetProperty("min").GetDouble() >= summary.GetProperty("processing").GetProperty("min").GetDouble());
        Directory.Delete(directory, recursive: true);
    }

    private static FailIfThreshold Parse(string text)
    {
        Assert.True(FailIfThreshold.TryParse(text, out FailIfThreshold? threshold, out string error), error);
        return threshold!;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using QueueInference.Testing;
using Xunit.Abstractions;

namespace QueueInference.Worker.IntegrationTests;

[Collection(SharedBroker.Name)]
public sealed partial class ObservabilityTests(TestBroker broker, ITestOutputHelper output) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Metrics_DuringARealRun_CountersMoveByExactlyTheMessagesSent()
    {
        // Arrange
        const int count = 500;
        string queue = WorkerTestSettings.NewQueueName("metrics");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(300));
        string metricsUrl = $"http://127.0.0.1:{settings["Observability:Port"]}/metrics";
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));
        await WaitForStatusAsync($"http://127.0.0.1:{settings["Observability:Port"]}/health/ready", HttpStatusCode.OK, TimeSpan.FromSeconds(10));

        // No warm-up requests: the very first requests must be counted too.
        string before = await _http.GetStringAsync(metricsUrl);

        // Act
        await client.PublishAsync(count);
        // The publishes are confirmed before the broker has delivered them (pick-up takes tens of ms on a busy
        // machine): look until the first requests are held, which is long before the 300 ms I/O step ends.
        string during = await _http.GetStringAsync(metricsUrl);
        for (int i = 0; i < 100 && Value(during, "queueinference_requests_in_flight") == 0 && client.Replies.IsEmpty; i++)
        {
            await Task.Delay(20);
            during = await _http.GetStringAsync(metricsUrl);
        }

        bool replied = await client.WaitForRepliesAsync(TimeSpan.FromSeconds(60));

        // A request leaves in-flight when its ack is sent, which follows its reply by up to one ack batch (5 ms).
        string after = await _http.GetStringAsync(metricsUrl);
        for (int i = 0; i < 100 && Value(after, "queueinference_requests_in_flight") != 0; i++)
        {
            await Task.Delay(50);
            after = await _http.GetStringAsync(metricsUrl);
        }

        output.WriteLine(string.Join('\n', after.Split('\n').Where(line => line.StartsWith("queueinference_", StringComparison.Ordinal) && !line.Contains("_bucket", StringComparison.Ordinal))));

        // Assert
        Assert.True(replied);
        Assert.Equal(count, Value(after, "queueinference_requests_received") - Value(before, "queueinference_requests_received"));
        Assert.Equal(count, Value(after, "queueinference_requests_replied") - Value(before, "queueinference_requests_replied"));
        Assert.Equal(count, Value(after, "queueinference_request_duration_count") - Value(before, "queueinference_request_duration_count"));
        Assert.Equal(count, Value(after, "queueinference_stage_duration_count{stage=\"io\"}") - Value(before, "queueinference_stage_duration_count{stage=\"io\"}"));
        Assert.Equal(count, Value(after, "queueinference_stage_duration_count{stage=\"compute_wait\"}") - Value(before, "queueinference_stage_duration_count{stage=\"compute_wait\"}"));
        Assert.Equal(count, Value(after, "queueinference_inference_batch_size_sum") - Value(before, "queueinference_inference_batch_size_sum"));
        Assert.InRange(Value(after, "queueinference_inference_batch_size_count") - Value(before, "queueinference_inference_batch_size_count"), 1, count);
        Assert.True(Value(during, "queueinference_requests_in_flight") > 0, "requests should be in flight during the 300 ms I/O step");
        Assert.Equal(0, Value(after, "queueinference_requests_in_flight"));
        Assert.Equal(1, Value(after, "queueinference_consumer_connected"));
        Assert.Contains("system_runtime_", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_BrokerGoesDownAndComesBack_ReadinessFlipsAndLivenessHolds()
    {
        // Arrange
        string queue = WorkerTestSettings.NewQueueName("health");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(100));
        string baseUrl = $"http://127.0.0.1:{settings["Observability:Port"]}";
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));
        // Kestrel may start listening just after the consumer starts (hosted services start together).
        HttpStatusCode readyBefore = await WaitForStatusAsync($"{baseUrl}/health/ready", HttpStatusCode.OK, TimeSpan.FromSeconds(10));

        // Act
        await broker.StopAppAsync();
        HttpStatusCode readyWhileDown = await WaitForStatusAsync($"{baseUrl}/health/ready", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20));
        HttpStatusCode liveWhileDown = await StatusAsync($"{baseUrl}/health/live");
        string metricsWhileDown = await _http.GetStringAsync($"{baseUrl}/metrics");
        await broker.StartAppAsync();
        HttpStatusCode readyAfter = await WaitForStatusAsync($"{baseUrl}/health/ready", HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        output.WriteLine($"ready before {readyBefore}, while down {readyWhileDown} (live {liveWhileDown}), after {readyAfter}");

        // Assert
        Assert.Equal(HttpStatusCode.OK, readyBefore);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyWhileDown);
        Assert.Equal(HttpStatusCode.OK, liveWhileDown);
        Assert.Equal(0, Value(metricsWhileDown, "queueinference_consumer_connected"));
        Assert.Equal(HttpStatusCode.OK, readyAfter);
    }

    [Fact]
    public async Task Health_ReadinessProbedBeforeTheBrokerAnswers_503WithoutAnErrorLine()
    {
        // Arrange: nothing listens on port 1, so the worker keeps trying to connect and is not ready.
        Dictionary<string, string> settings = WorkerTestSettings.For("amqp://guest:guest@127.0.0.1:1/", WorkerTestSettings.NewQueueName("unready"), TimeSpan.Zero);
        string readyUrl = $"http://127.0.0.1:{settings["Observability:Port"]}/health/ready";
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync("Now listening", TimeSpan.FromSeconds(30));

        // Act
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 5; i++)
        {
            statuses.Add(await StatusAsync(readyUrl));
        }

        await Task.Delay(500);

        // Assert: not ready is a state the probe reports, not an error the log reports.
        output.WriteLine(worker.Output);
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));
        Assert.DoesNotContain(worker.Lines, l => l.Contains("HealthCheck", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_InFlightAndNoneFinishing_LivenessFailsAndTheWorkerLogsWhy()
    {
        // Arrange: a request held by a 30 s I/O step, with a stall timeout of 1 s.
        string queue = WorkerTestSettings.NewQueueName("stall");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromSeconds(30));
        settings["Observability:StallTimeout"] = "1s";
        settings["Consumer:DrainTimeout"] = "0";
        string liveUrl = $"http://127.0.0.1:{settings["Observability:Port"]}/health/live";
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));
        await WaitForStatusAsync(liveUrl, HttpStatusCode.OK, TimeSpan.FromSeconds(10));

        // Act
        await client.PublishAsync(1);
        HttpStatusCode live = await WaitForStatusAsync(liveUrl, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20));
        await Task.Delay(500);

        // Assert
        output.WriteLine(worker.Output);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, live);
        Assert.Contains(worker.Lines, l => l.Contains("Stalled: 1 request(s) in flight and none finished for", StringComparison.Ordinal));
        Assert.DoesNotContain(worker.Lines, l => l.Contains("DefaultHealthCheckService", StringComparison.Ordinal));
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The endpoint's status; a refused connection (not listening yet) reads as 503.</summary>
    private async Task<HttpStatusCode> StatusAsync(string url)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(url);
        }
        catch (HttpRequestException)
        {
            return HttpStatusCode.ServiceUnavailable;
        }

        using var disposing = response;
        output.WriteLine($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> WaitForStatusAsync(string url, HttpStatusCode wanted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        HttpStatusCode status;
        while ((status = await StatusAsync(url)) != wanted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        return status;
    }

    /// <summary>The value of one sample line in Prometheus text format; 0 when absent (a counter not yet touched).</summary>
    private static double Value(string exposition, string series)
    {
        Match match = Regex.Match(exposition, $"^{Regex.Escape(series)} (\\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}

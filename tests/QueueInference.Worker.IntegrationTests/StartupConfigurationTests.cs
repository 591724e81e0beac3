using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QueueInference.Pipeline;
using QueueInference.Pipeline.Hosting;
using QueueInference.Pipeline.Observability;
using QueueInference.Testing;

namespace QueueInference.Worker.IntegrationTests;

/// <summary>The worker process as an operator meets it: what a bad setting prints and the exit code, what an idle pod logs.</summary>
[Collection(SharedBroker.Name)]
public sealed class StartupConfigurationTests(TestBroker broker)
{
    private const int InvalidConfiguration = 78;

    private Task<(int ExitCode, IReadOnlyCollection<string> Lines)> RunUntilExitAsync(string key, string value) =>
        RunUntilExitAsync(new Dictionary<string, string> { [key] = value });

    private async Task<(int ExitCode, IReadOnlyCollection<string> Lines)> RunUntilExitAsync(Dictionary<string, string> invalid)
    {
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, WorkerTestSettings.NewQueueName("config"), TimeSpan.FromMilliseconds(100));
        foreach ((string key, string value) in invalid)
        {
            settings[key] = value;
        }

        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        int exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(200); // the last lines of standard error
        return (exitCode, worker.Lines);
    }

    [Theory]
    [InlineData("IoStep:Delay", "3", "invalid configuration: IoStep:Delay = '3' (env IoStep__Delay): a bare number has no unit; write 500ms, 3s, 1m, 1h or hh:mm:ss")]
    [InlineData("Consumer:MaxInFlight", "0", "invalid configuration: Consumer:MaxInFlight = '0' (env Consumer__MaxInFlight): must be between 1 and 1000000")]
    [InlineData("Consumer:DrainTimeout", "abc", "invalid configuration: Consumer:DrainTimeout = 'abc' (env Consumer__DrainTimeout): not a duration; write 500ms, 3s, 1m, 1h or hh:mm:ss")]
    [InlineData("Inference:ModelPath", "models/missing.onnx", "invalid configuration: Inference:ModelPath = 'models/missing.onnx' (env Inference__ModelPath): no such file")]
    public async Task Start_InvalidSetting_OneLineNoStackTraceExitCode78(string key, string value, string expectedLine)
    {
        // Act
        (int exitCode, IReadOnlyCollection<string> lines) = await RunUntilExitAsync(key, value);

        // Assert
        string output = string.Join(Environment.NewLine, lines);
        Assert.True(exitCode == InvalidConfiguration, $"exit code {exitCode}:{Environment.NewLine}{output}");
        string problem = Assert.Single(lines, l => l.StartsWith("invalid configuration:", StringComparison.Ordinal));
        Assert.StartsWith(expectedLine, problem, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_InvalidSettingsInSeveralSections_OneLineForEach()
    {
        // Act: Consumer is read while the host is built, IoStep fails to bind, Pipeline fails later still.
        (int exitCode, IReadOnlyCollection<string> lines) = await RunUntilExitAsync(new Dictionary<string, string>
        {
            ["IoStep:Delay"] = "3",
            ["Consumer:MaxInFlight"] = "0",
            ["Pipeline:MessageTimeout"] = "1x",
        });

        // Assert
        Assert.Equal(InvalidConfiguration, exitCode);
        Assert.Equal(
            [
                "invalid configuration: Consumer:MaxInFlight = '0' (env Consumer__MaxInFlight): must be between 1 and 1000000",
                "invalid configuration: IoStep:Delay = '3' (env IoStep__Delay): a bare number has no unit; write 500ms, 3s, 1m, 1h or hh:mm:ss",
                "invalid configuration: Pipeline:MessageTimeout = '1x' (env Pipeline__MessageTimeout): not a duration; write 500ms, 3s, 1m, 1h or hh:mm:ss",
            ],
            lines.Where(l => l.StartsWith("invalid configuration:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Start_MissingModel_StopsBeforeItListensOrConnects()
    {
        // Act
        (int exitCode, IReadOnlyCollection<string> lines) = await RunUntilExitAsync("Inference:ModelPath", "models/missing.onnx");

        // Assert: its one line and nothing else, as for any other setting.
        Assert.Equal(InvalidConfiguration, exitCode);
        string line = Assert.Single(lines, l => l.Trim().Length > 0);
        Assert.StartsWith("invalid configuration: Inference:ModelPath = 'models/missing.onnx' (env Inference__ModelPath): no such file", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ObservabilityPortHeldByAnotherProcess_OneLineNamingTheSettingExitCode78()
    {
        // Arrange: what a second worker (or anything else) on the same port looks like.
        using var holder = new TcpListener(IPAddress.Any, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;

        // Act
        (int exitCode, IReadOnlyCollection<string> lines) = await RunUntilExitAsync("Observability:Port", port.ToString(CultureInfo.InvariantCulture));

        // Assert
        string output = string.Join(Environment.NewLine, lines);
        Assert.True(exitCode == InvalidConfiguration, $"exit code {exitCode}:{Environment.NewLine}{output}");
        string line = Assert.Single(lines, l => l.StartsWith("cannot listen:", StringComparison.Ordinal));
        Assert.Contains($":{port}", line, StringComparison.Ordinal);
        Assert.EndsWith("Observability:Port (env Observability__Port)", line, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MetricServer_PortHeldByAnotherProcess_OneLineNamingTheSettingExitCode78()
    {
        // Arrange: the Functions app's /metrics listener (HttpListener, not Kestrel) on a port something holds.
        using var holder = new TcpListener(IPAddress.Any, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;
        using var error = new StringWriter();

        // Act
        int exitCode = await HostRunner.RunAsync(
            () => Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings()),
            builder =>
            {
                builder.Services.Configure<ObservabilityOptions>(options => options.Port = port);
                builder.AddPrometheusMetricServer();
                return builder.Build();
            },
            error);

        // Assert
        Assert.Equal(InvalidConfiguration, exitCode);
        string line = Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"cannot listen on port {port} for /metrics: ", line, StringComparison.Ordinal);
        Assert.EndsWith("Observability:Port (env Observability__Port)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BrokerUriWithWrongScheme_RedactsThePassword()
    {
        // Act
        (int exitCode, IReadOnlyCollection<string> lines) = await RunUntilExitAsync("RabbitMQ:ConnectionString", "http://app:hunter2@broker:5672/");

        // Assert
        Assert.Equal(InvalidConfiguration, exitCode);
        Assert.Contains(lines, l => l.StartsWith("invalid configuration: RabbitMQ:ConnectionString = '(not an amqp:// or amqps:// URI)' (env RabbitMQ__ConnectionString): must be an amqp:// or amqps:// URI", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Summary_IdleWorker_SaysNothingRepliedInsteadOfNaN()
    {
        // Arrange
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, WorkerTestSettings.NewQueueName("idle"), TimeSpan.FromMilliseconds(100));
        settings["Observability:SummaryInterval"] = "300ms";
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);

        // Act
        await worker.WaitForLineAsync("Summary:", TimeSpan.FromSeconds(60));

        // Assert
        string summary = worker.Lines.First(l => l.Contains("Summary:", StringComparison.Ordinal));
        Assert.Contains("no end-to-end latency (nothing replied in this interval)", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", summary, StringComparison.Ordinal);
    }
}

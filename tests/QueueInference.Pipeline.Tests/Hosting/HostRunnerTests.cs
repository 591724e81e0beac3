using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QueueInference.Pipeline.Hosting;

namespace QueueInference.Pipeline.Tests.Hosting;

public sealed class HostRunnerTests
{
    private static async Task<(int ExitCode, string Error)> RunAsync(Dictionary<string, string?> settings, Action<HostApplicationBuilder>? configure = null)
    {
        using var error = new StringWriter();
        int exitCode = await HostRunner.RunAsync(
            () =>
            {
                HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
                builder.Configuration.AddInMemoryCollection(settings);
                return builder;
            },
            builder =>
            {
                builder.AddInferencePipeline();
                configure?.Invoke(builder);
                return builder.Build();
            },
            error);
        return (exitCode, error.ToString());
    }

    [Fact]
    public async Task RunAsync_BareNumberDuration_OneLineAndExitCode78()
    {
        // Act
        (int exitCode, string error) = await RunAsync(new() { ["IoStep:Delay"] = "3" });

        // Assert
        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        Assert.Equal(
            "invalid configuration: IoStep:Delay = '3' (env IoStep__Delay): a bare number has no unit; write 500ms, 3s, 1m, 1h or hh:mm:ss" + Environment.NewLine,
            error);
    }

    [Fact]
    public async Task RunAsync_SeveralInvalidRanges_OneLinePerProblem()
    {
        // Act
        (int exitCode, string error) = await RunAsync(new() { ["Contract:MaxBodyBytes"] = "10", ["Retry:MaxAttempts"] = "0" });

        // Assert
        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        string[] lines = error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("invalid configuration: Contract:MaxBodyBytes = '10' (env Contract__MaxBodyBytes): must be between", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("invalid configuration: Retry:MaxAttempts = '0' (env Retry__MaxAttempts): must be between", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ProblemsInSeveralSections_OneLineForEach()
    {
        // Act: the binder stops the start at the first value it cannot read; the others are in other sections.
        (int exitCode, string error) = await RunAsync(new()
        {
            ["IoStep:Delay"] = "3",
            ["Pipeline:MessageTimeout"] = "1x",
            ["Retry:MaxAttempts"] = "0",
            ["Inference:ModelPath"] = "missing/model.onnx",
        });

        // Assert
        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        string[] lines = error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Contains("invalid configuration: IoStep:Delay = '3' (env IoStep__Delay): a bare number has no unit; write 500ms, 3s, 1m, 1h or hh:mm:ss", lines);
        Assert.Contains("invalid configuration: Pipeline:MessageTimeout = '1x' (env Pipeline__MessageTimeout): not a duration; write 500ms, 3s, 1m, 1h or hh:mm:ss", lines);
        Assert.Contains(lines, l => l.StartsWith("invalid configuration: Retry:MaxAttempts = '0' (env Retry__MaxAttempts): must be between", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("invalid configuration: Inference:ModelPath = 'missing/model.onnx' (env Inference__ModelPath): no such file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_DurationOutOfRange_StatesTheRangeInTheDurationSyntax()
    {
        // Act
        (int exitCode, string error) = await RunAsync(new() { ["Retry:MaxDelay"] = "25h", ["Retry:InitialDelay"] = "5ms" });

        // Assert
        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        Assert.Contains("invalid configuration: Retry:MaxDelay = '25h' (env Retry__MaxDelay): must be between 10ms and 24h", error, StringComparison.Ordinal);
        Assert.Contains("invalid configuration: Retry:InitialDelay = '5ms' (env Retry__InitialDelay): must be between 10ms and 24h", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WrongBrokerUri_RedactsThePassword()
    {
        // Act
        (int exitCode, string error) = await RunAsync(new() { ["RabbitMQ:ConnectionString"] = "http://app:hunter2@broker/" });

        // Assert
        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        Assert.StartsWith("invalid configuration: RabbitMQ:ConnectionString = '(not an amqp:// or amqps:// URI)' (env RabbitMQ__ConnectionString): must be an amqp:// or amqps:// URI", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingModel_NamesTheSettingWithoutStackTrace()
    {
        // Act
        (int exitCode, string error) = await RunAsync(new() { ["Inference:ModelPath"] = "missing/model.onnx" });

        // Assert
        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        Assert.StartsWith("invalid configuration: Inference:ModelPath = 'missing/model.onnx' (env Inference__ModelPath): no such file", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BackgroundServiceEndsWithHostExit_ItsLineAndCode()
    {
        // Act
        (int exitCode, string error) = await RunAsync([], builder => builder.Services.AddHostedService<UnreachableBroker>());

        // Assert
        Assert.Equal(69, exitCode);
        Assert.Equal("broker refused the credentials" + Environment.NewLine, error);
    }

    [Fact]
    public async Task RunAsync_UnexpectedFailure_PrintsItAndExitCode70()
    {
        // Act
        (int exitCode, string error) = await RunAsync([], builder => builder.Services.AddHostedService<Broken>());

        // Assert
        Assert.Equal(ExitCodes.Software, exitCode);
        Assert.StartsWith("unexpected failure: System.InvalidOperationException: a bug", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_HostStopsNormally_ExitCode0()
    {
        // Act
        (int exitCode, string error) = await RunAsync([], builder => builder.Services.AddHostedService<StopsAtOnce>());

        // Assert
        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Empty(error);
    }

    [Fact]
    public async Task RunAsync_ServiceSetsEnvironmentExitCodeAndStops_KeepsThatCode()
    {
        try
        {
            // Act
            (int exitCode, string error) = await RunAsync([], builder => builder.Services.AddHostedService<StopsWithCode69>());

            // Assert
            Assert.Equal(69, exitCode);
            Assert.Empty(error);
        }
        finally
        {
            Environment.ExitCode = 0;
        }
    }

    private sealed class StopsWithCode69(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            Environment.ExitCode = 69;
            lifetime.StopApplication();
            return Task.CompletedTask;
        }
    }

    private sealed class UnreachableBroker : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new HostExitException(69, "broker refused the credentials");
        }
    }

    [Fact]
    public void Classify_BindFailureAddressInUse_OneLineNamingThePortSettingExitCode78()
    {
        // Arrange: the shape Kestrel throws (IOException around AddressInUseException around the SocketException).
        var failure = new IOException(
            "Failed to bind to address http://[::]:8080: address already in use.",
            new InvalidOperationException("Address already in use", new SocketException((int)SocketError.AddressAlreadyInUse)));

        // Act
        HostExitException exit = HostRunner.Classify(failure, configuration: null);

        // Assert
        Assert.Equal(ExitCodes.InvalidConfiguration, exit.ExitCode);
        string line = Assert.Single(exit.Lines);
        Assert.Equal(
            "cannot listen: Failed to bind to address http://[::]:8080: address already in use. Another process holds the port: stop it, or choose another with Observability:Port (env Observability__Port)",
            line);
    }

    [Fact]
    public void Classify_OtherSocketFailure_UnexpectedFailureExitCode70()
    {
        // Act
        HostExitException exit = HostRunner.Classify(new IOException("bind failed", new SocketException((int)SocketError.AccessDenied)), configuration: null);

        // Assert
        Assert.Equal(ExitCodes.Software, exit.ExitCode);
    }

    private sealed class Broken : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("a bug");

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class StopsAtOnce(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        }
    }
}

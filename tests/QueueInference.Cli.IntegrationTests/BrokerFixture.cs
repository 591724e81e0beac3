using QueueInference.Cli.Benchmarking;

namespace QueueInference.Cli.IntegrationTests;

/// <summary>
/// One RabbitMQ node for the test run: the one named by QI_TEST_BROKER, or a private node the
/// benchmark's <see cref="PrivateBroker"/> starts on a free port. Without rabbitmq-server and without
/// QI_TEST_BROKER the tests fail, saying so: they are never skipped silently.
/// </summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    private PrivateBroker? _broker;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        string? external = Environment.GetEnvironmentVariable("QI_TEST_BROKER");
        if (!string.IsNullOrEmpty(external))
        {
            ConnectionString = external;
            return;
        }

        _broker = await PrivateBroker.StartAsync($"it{Environment.ProcessId}", 0, CancellationToken.None);
        ConnectionString = _broker.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}

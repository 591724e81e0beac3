using System.Diagnostics;
using System.Text.Json;
using QueueInference.Cli.Benchmarking;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Xunit;

namespace QueueInference.Testing;

/// <summary>
/// A RabbitMQ node of the test run's own (<see cref="PrivateBroker"/>: own node name, ports and
/// data directory, loopback only, stopped afterwards), or the broker at <c>RABBITMQ_TEST_URL</c>
/// when that is set (then the tests that restart the broker cannot run).
/// </summary>
public sealed class TestBroker : IAsyncLifetime
{
    private PrivateBroker? _node;

    public string AmqpUrl { get; private set; } = string.Empty;

    public int Port => _node?.Port ?? 0;

    public string NodeName => _node?.NodeName ?? string.Empty;

    /// <summary>False when the tests run against <c>RABBITMQ_TEST_URL</c>.</summary>
    public bool IsPrivate => _node is not null;

    public async Task InitializeAsync()
    {
        string? url = Environment.GetEnvironmentVariable("RABBITMQ_TEST_URL");
        if (!string.IsNullOrEmpty(url))
        {
            AmqpUrl = url;
            await WaitUntilReachableAsync(TimeSpan.FromSeconds(30));
            return;
        }

        if (!PrivateBroker.IsInstalled)
        {
            throw new InvalidOperationException(
                "rabbitmq-server is not installed, so the integration tests cannot start their private broker. " +
                "Install it (as root: apt-get update && apt-get install -y rabbitmq-server) or set RABBITMQ_TEST_URL=amqp://user:pass@host:port/ to use a running broker.");
        }

        _node = await PrivateBroker.StartAsync($"qitest{Environment.ProcessId}{Guid.NewGuid():N}"[..24], 0, CancellationToken.None);
        AmqpUrl = _node.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    public async Task<IConnection> ConnectAsync(string name = "test")
    {
        var factory = new ConnectionFactory { Uri = new Uri(AmqpUrl), ClientProvidedName = name, AutomaticRecoveryEnabled = false };
        return await factory.CreateConnectionAsync();
    }

    /// <summary>Runs rabbitmqctl against the private node and returns its standard output.</summary>
    public Task<string> CtlAsync(params string[] arguments) =>
        (_node ?? throw new InvalidOperationException("rabbitmqctl needs the test run's private broker; unset RABBITMQ_TEST_URL to run this test."))
            .ControlAsync(arguments, CancellationToken.None);

    /// <summary>Ready and unacknowledged message counts of a queue (unacked needs the private node).</summary>
    public async Task<(long Ready, long Unacked)> QueueCountsAsync(string queue)
    {
        string json = await CtlAsync("list_queues", "-q", "--formatter", "json", "name", "messages_ready", "messages_unacknowledged");
        foreach (JsonElement row in JsonDocument.Parse(json).RootElement.EnumerateArray())
        {
            if (row.GetProperty("name").GetString() == queue)
            {
                return (row.GetProperty("messages_ready").GetInt64(), row.GetProperty("messages_unacknowledged").GetInt64());
            }
        }

        throw new InvalidOperationException($"Queue {queue} does not exist.");
    }

    public Task StopAppAsync() => CtlAsync("stop_app");

    public async Task StartAppAsync()
    {
        await CtlAsync("start_app");
        await WaitUntilReachableAsync(TimeSpan.FromSeconds(60));
    }

    private async Task WaitUntilReachableAsync(TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using IConnection connection = await ConnectAsync("readiness-probe");
                return;
            }
            catch (BrokerUnreachableException) when (stopwatch.Elapsed < timeout && _node is not { HasExited: true })
            {
                await Task.Delay(250);
            }
        }
    }
}

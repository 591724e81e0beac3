using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Xunit;

namespace QueueInference.Testing;

/// <summary>
/// A RabbitMQ node of the test run's own, started from the installed <c>rabbitmq-server</c> with
/// its own node name, ports and data directory, and stopped afterwards; or the broker at
/// <c>RABBITMQ_TEST_URL</c> when that is set (then the tests that restart the broker cannot run).
/// </summary>
public sealed class TestBroker : IAsyncLifetime
{
    // Debian's /usr/sbin wrappers switch to the rabbitmq user, which cannot use our directories.
    private static readonly string[] ScriptDirectories = ["/usr/lib/rabbitmq/bin", "/usr/local/sbin", "/usr/sbin", "/usr/local/bin", "/usr/bin"];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"qi-broker-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private Process? _server;
    private Dictionary<string, string> _environment = [];

    public string AmqpUrl { get; private set; } = string.Empty;

    public int Port { get; private set; }

    public string NodeName { get; private set; } = string.Empty;

    /// <summary>False when the tests run against <c>RABBITMQ_TEST_URL</c>.</summary>
    public bool IsPrivate => _server is not null;

    public async Task InitializeAsync()
    {
        string? url = Environment.GetEnvironmentVariable("RABBITMQ_TEST_URL");
        if (!string.IsNullOrEmpty(url))
        {
            AmqpUrl = url;
            await WaitUntilReachableAsync(TimeSpan.FromSeconds(30));
            return;
        }

        string server = FindScript("rabbitmq-server") ?? throw new InvalidOperationException(
            "rabbitmq-server is not installed, so the integration tests cannot start their private broker. " +
            "Install it (as root: apt-get update && apt-get install -y rabbitmq-server) or set RABBITMQ_TEST_URL=amqp://user:pass@host:port/ to use a running broker.");

        Port = FreePort();
        NodeName = $"qi-test-{Port}@localhost";
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "enabled_plugins"), "[].");
        File.WriteAllText(Path.Combine(_directory, "rabbitmq.conf"), "log.console = false\n");
        _environment = new()
        {
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            // Keeps the Erlang distribution port (used by rabbitmqctl) on loopback too.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(_directory, "rabbitmq"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(_directory, "rabbitmq.pid"),
            ["HOME"] = _directory, // the Erlang cookie the server and rabbitmqctl share
        };
        AmqpUrl = $"amqp://guest:guest@127.0.0.1:{Port}/";

        var start = new ProcessStartInfo(server) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach ((string key, string value) in _environment)
        {
            start.Environment[key] = value;
        }

        _server = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {server}.");
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        await WaitUntilReachableAsync(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }

        try
        {
            await CtlAsync("stop");
        }
        catch (InvalidOperationException)
        {
            // Fall through to the kill below.
        }

        if (!_server.WaitForExit(15_000))
        {
            _server.Kill(entireProcessTree: true);
        }

        _server.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not worth failing the run for.
        }
    }

    public async Task<IConnection> ConnectAsync(string name = "test")
    {
        var factory = new ConnectionFactory { Uri = new Uri(AmqpUrl), ClientProvidedName = name, AutomaticRecoveryEnabled = false };
        return await factory.CreateConnectionAsync();
    }

    /// <summary>Runs rabbitmqctl against the private node and returns its standard output.</summary>
    public async Task<string> CtlAsync(params string[] arguments)
    {
        EnsurePrivate("rabbitmqctl");
        string ctl = FindScript("rabbitmqctl") ?? throw new InvalidOperationException("rabbitmqctl is not installed.");
        var start = new ProcessStartInfo(ctl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(NodeName);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in _environment)
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
    }

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

    private void EnsurePrivate(string what)
    {
        if (!IsPrivate)
        {
            throw new InvalidOperationException($"{what} needs the test run's private broker; unset RABBITMQ_TEST_URL to run this test.");
        }
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
            catch (BrokerUnreachableException) when (stopwatch.Elapsed < timeout && _server is not { HasExited: true })
            {
                await Task.Delay(250);
            }
        }
    }

    private static string? FindScript(string name) =>
        ScriptDirectories.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using QueueInference.Cli.LoadTesting;
using RabbitMQ.Client;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// A RabbitMQ node of the benchmark's own (own node name, ports, data and log directories under
/// /tmp, loopback only, no plugins), so a run never touches another broker and starts clean.
/// </summary>
public sealed class PrivateBroker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;

    private PrivateBroker(Process process, string directory, Dictionary<string, string> environment, int port)
    {
        _process = process;
        _directory = directory;
        _environment = environment;
        ConnectionString = $"amqp://guest:guest@127.0.0.1:{port}/";
    }

    public string ConnectionString { get; }

    /// <summary>Starts the node on <paramref name="port"/> (0: any free port) and checks that what answers there is this node.</summary>
    public static async Task<PrivateBroker> StartAsync(string runId, int port, CancellationToken cancellationToken)
    {
        // Another broker on the port would be silently benchmarked (and purged) instead of ours: refuse.
        port = port == 0 ? FreePort(IPAddress.Loopback) : port;
        if (!IsFree(IPAddress.Loopback, port))
        {
            throw new LoadInputException($"port {port} is already in use (another broker?): pass another --broker-port, or 0 for any free port");
        }

        int distributionPort = FreePort(IPAddress.Loopback);
        string nodeName = $"qibench{runId}@localhost";
        string directory = Path.Combine(Path.GetTempPath(), $"qi-bench-broker-{runId}");
        Directory.CreateDirectory(directory);
        string plugins = Path.Combine(directory, "enabled_plugins");
        await File.WriteAllTextAsync(plugins, "[].", cancellationToken);
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = directory,
            ["RABBITMQ_NODENAME"] = nodeName,
            ["RABBITMQ_NODE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(CultureInfo.InvariantCulture),
            // A node that fails to start writes its crash dump here, not into the caller's working directory.
            ["ERL_CRASH_DUMP"] = Path.Combine(directory, "erl_crash.dump"),
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            // Keeps the Erlang distribution port (rabbitmqctl's) on loopback too.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = plugins,
        };

        // The packaged wrapper (rabbitmq-server on PATH) drops to the rabbitmq user, who cannot write
        // these directories; the script it wraps runs as the caller.
        string server = File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server") ? "/usr/lib/rabbitmq/bin/rabbitmq-server" : "rabbitmq-server";
        var start = new ProcessStartInfo(server) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start rabbitmq-server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var broker = new PrivateBroker(process, directory, environment, port);
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited with code {process.ExitCode}; see {environment["RABBITMQ_LOG_BASE"]}");
            }

            if (await IsListeningAsync(port, cancellationToken))
            {
                try
                {
                    await broker.CheckIdentityAsync(nodeName, cancellationToken);
                }
                catch (Exception)
                {
                    await broker.DisposeAsync();
                    throw;
                }

                return broker;
            }

            await Task.Delay(250, cancellationToken);
        }

        await broker.DisposeAsync();
        throw new TimeoutException($"rabbitmq-server did not listen on 127.0.0.1:{port} within 60 s");
    }

    /// <summary>RabbitMQ names its cluster after its first node: the answer proves whose broker this is.</summary>
    private async Task CheckIdentityAsync(string nodeName, CancellationToken cancellationToken)
    {
        await using IConnection connection = await BrokerConnections.OpenAsync(ConnectionString, "qi-bench-identity", cancellationToken);
        string? cluster = connection.ServerProperties?.TryGetValue("cluster_name", out object? value) == true && value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;
        // The cluster name carries the machine's host name where the node name says localhost: compare the unique part.
        if (cluster?.Split('@')[0] != nodeName.Split('@')[0])
        {
            throw new InvalidOperationException($"the broker on {ConnectionString} is '{cluster}', not the node just started ('{nodeName}')");
        }
    }

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        var stop = new ProcessStartInfo(File.Exists("/usr/lib/rabbitmq/bin/rabbitmqctl") ? "/usr/lib/rabbitmq/bin/rabbitmqctl" : "rabbitmqctl")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        stop.ArgumentList.Add("stop");
        foreach ((string key, string value) in _environment)
        {
            stop.Environment[key] = value;
        }

        using (Process? control = Process.Start(stop))
        {
            if (control is not null)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await control.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    control.Kill();
                }
            }
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftover data of a stopped node under /tmp: harmless.
        }
    }
}

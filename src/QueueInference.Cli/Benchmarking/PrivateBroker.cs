using System.Diagnostics;
using System.Net.Sockets;

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

    public static async Task<PrivateBroker> StartAsync(string runId, int port, CancellationToken cancellationToken)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"qi-bench-broker-{runId}");
        Directory.CreateDirectory(directory);
        string plugins = Path.Combine(directory, "enabled_plugins");
        await File.WriteAllTextAsync(plugins, "[].", cancellationToken);
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = directory,
            ["RABBITMQ_NODENAME"] = $"qibench{runId}@localhost",
            ["RABBITMQ_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = (port + 20000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = plugins,
        };

        // The packaged wrapper (rabbitmq-server on PATH) drops to the rabbitmq user, who cannot write
        // these directories; the script it wraps runs as the caller.
        string server = File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server") ? "/usr/lib/rabbitmq/bin/rabbitmq-server" : "rabbitmq-server";
        var start = new ProcessStartInfo(server) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
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
                return broker;
            }

            await Task.Delay(250, cancellationToken);
        }

        await broker.DisposeAsync();
        throw new TimeoutException($"rabbitmq-server did not listen on 127.0.0.1:{port} within 60 s");
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

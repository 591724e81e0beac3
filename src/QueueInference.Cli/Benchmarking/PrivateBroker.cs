using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using QueueInference.Cli.LoadTesting;
using RabbitMQ.Client;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// A RabbitMQ node of the caller's own (own node name, ports, data and log directories under
/// /tmp, loopback only, no plugins), so a run never touches another broker and starts clean.
/// Used by <c>qi bench</c> and by the integration tests' broker fixture.
/// </summary>
public sealed class PrivateBroker : IAsyncDisposable
{
    // Debian's /usr/sbin wrappers drop to the rabbitmq user, who cannot write our directories;
    // the scripts they wrap run as the caller.
    private static readonly string[] ScriptDirectories = ["/usr/lib/rabbitmq/bin", "/usr/local/sbin", "/usr/sbin", "/usr/local/bin", "/usr/bin"];

    private readonly Process _process;
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;

    private PrivateBroker(Process process, string directory, Dictionary<string, string> environment, string nodeName, int port)
    {
        _process = process;
        _directory = directory;
        _environment = environment;
        NodeName = nodeName;
        Port = port;
        ConnectionString = $"amqp://guest:guest@127.0.0.1:{port}/";
    }

    public string ConnectionString { get; }

    public string NodeName { get; }

    public int Port { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Whether a rabbitmq-server this class can run is installed.</summary>
    public static bool IsInstalled => FindScript("rabbitmq-server") is not null;

    /// <summary>
    /// Starts node <c>&lt;<paramref name="name"/>&gt;@localhost</c> on <paramref name="port"/> (0: any free
    /// port) and checks that what answers there is this node.
    /// </summary>
    public static async Task<PrivateBroker> StartAsync(string name, int port, CancellationToken cancellationToken)
    {
        // Another broker on the port would be silently benchmarked (and purged) instead of ours: refuse.
        port = port == 0 ? FreePort(IPAddress.Loopback) : port;
        if (!IsFree(IPAddress.Loopback, port))
        {
            throw new LoadInputException($"port {port} is already in use (another broker?): pass another --broker-port, or 0 for any free port");
        }

        int distributionPort = FreePort(IPAddress.Loopback);
        string nodeName = $"{name}@localhost";
        string directory = Path.Combine(Path.GetTempPath(), $"{name}-broker");
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

        string server = FindScript("rabbitmq-server") ?? throw new InvalidOperationException(
            "rabbitmq-server is not installed: as root run 'apt-get update && apt-get install -y rabbitmq-server'");
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
        var broker = new PrivateBroker(process, directory, environment, nodeName, port);
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

    /// <summary>Runs rabbitmqctl against this node and returns its standard output; throws when it fails.</summary>
    public async Task<string> ControlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using Process control = Process.Start(ControlStartInfo(arguments)) ?? throw new InvalidOperationException("could not start rabbitmqctl");
        Task<string> output = control.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = control.StandardError.ReadToEndAsync(cancellationToken);
        await control.WaitForExitAsync(cancellationToken);
        return control.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} exited {control.ExitCode}: {await error}");
    }

    private ProcessStartInfo ControlStartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(FindScript("rabbitmqctl") ?? "rabbitmqctl")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
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

        return start;
    }

    private static string? FindScript(string name) =>
        ScriptDirectories.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

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

    /// <summary>Copies the node's log files into <paramref name="destination"/> before the node's directory goes away.</summary>
    public void KeepLogs(string destination, string prefix)
    {
        string logs = _environment["RABBITMQ_LOG_BASE"];
        if (!Directory.Exists(logs))
        {
            return;
        }

        Directory.CreateDirectory(destination);
        foreach (string file in Directory.EnumerateFiles(logs, "*.log"))
        {
            File.Copy(file, Path.Combine(destination, $"{prefix}-broker-{Path.GetFileName(file)}"), overwrite: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (Process? control = Process.Start(ControlStartInfo(["stop"])))
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

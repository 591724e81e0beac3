using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using QueueInference.Cli.LoadTesting;
using RabbitMQ.Client;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// One RabbitMQ node run from the installed scripts as the caller: its own node name, AMQP and
/// distribution ports, and data, log, config and pid files under one directory; loopback only, no
/// plugins, and none of the machine's /etc/rabbitmq files. <see cref="PrivateBroker"/> runs one,
/// <see cref="PrivateCluster"/> several that share an Erlang cookie through <c>HOME</c>.
/// </summary>
internal sealed class BrokerNode
{
    // Debian's /usr/sbin wrappers drop to the rabbitmq user, who cannot write our directories;
    // the scripts they wrap run as the caller.
    private static readonly string[] ScriptDirectories = ["/usr/lib/rabbitmq/bin", "/usr/local/sbin", "/usr/sbin", "/usr/local/bin", "/usr/bin"];
    private const int OutputLinesKept = 60;
    private static readonly string[] ErlangRoots = ["/usr/lib/erlang", "/usr/local/lib/erlang"];
    private static int _evaluations;

    private readonly Dictionary<string, string> _environment;
    private readonly string _configuration;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    // The Erlang VM's process id, read once from the pid file the node writes when it boots; a new launch is a new VM.
    private int? _vmProcessId;

    /// <param name="configuration">The node's rabbitmq.conf (sysctl format); empty for the defaults.</param>
    public BrokerNode(string nodeName, int port, string directory, string home, string configuration)
    {
        NodeName = nodeName;
        Port = port;
        DistributionPort = FreePort();
        Directory = directory;
        _configuration = configuration;
        ConnectionString = $"amqp://guest:guest@127.0.0.1:{port}/";
        _environment = new Dictionary<string, string>
        {
            // Erlang reads its cookie from $HOME/.erlang.cookie, and so does rabbitmqctl: nodes that share a
            // HOME share a cookie, and the caller's own ~/.erlang.cookie is never read or written.
            ["HOME"] = home,
            ["RABBITMQ_NODENAME"] = nodeName,
            ["RABBITMQ_NODE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(CultureInfo.InvariantCulture),
            // A node that fails to start writes its crash dump here, not into the caller's working directory.
            ["ERL_CRASH_DUMP"] = Path.Combine(directory, "erl_crash.dump"),
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            // Keeps the Erlang distribution port (rabbitmqctl's, and the cluster's) on loopback too.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            // The port mapper daemon, when this node is the one that starts it, listens on loopback only.
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(directory, "node.pid"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
            // Our own (possibly empty) files instead of /etc/rabbitmq's, so the machine's settings never leak in.
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq.conf"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf"),
        };
    }

    public string NodeName { get; }

    public int Port { get; }

    public int DistributionPort { get; }

    public string Directory { get; }

    public string ConnectionString { get; }

    public string LogDirectory => _environment["RABBITMQ_LOG_BASE"];

    /// <summary>Whether this node's Erlang VM (or the script that runs it) is alive; says nothing about the app.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Whether a rabbitmq-server this class can run is installed.</summary>
    public static bool IsInstalled => FindScript("rabbitmq-server") is not null;

    /// <summary>
    /// CPU seconds the node's Erlang VM has used since it started, from /proc in 10 ms ticks; null before the node wrote
    /// its pid file (RabbitMQ writes the VM's own process id there once it boots) or after it stopped.
    /// </summary>
    public double? VmCpuSeconds()
    {
        if (!IsRunning)
        {
            return null;
        }

        _vmProcessId ??= ReadVmProcessId();
        return _vmProcessId is { } vm ? ProcStat.ProcessCpuSeconds(vm) : null;
    }

    private int? ReadVmProcessId()
    {
        try
        {
            string written = File.ReadAllText(_environment["RABBITMQ_PID_FILE"]).Trim();
            return int.TryParse(written, NumberStyles.None, CultureInfo.InvariantCulture, out int vm) ? vm : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Not written yet: the node is still booting.
            return null;
        }
    }

    /// <summary>Writes the node's files (first run) and starts rabbitmq-server; <see cref="WaitUntilListeningAsync"/> waits for it.</summary>
    public void Launch()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{NodeName} is already running");
        }

        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(_environment["RABBITMQ_ENABLED_PLUGINS_FILE"], "[].");
        File.WriteAllText(_environment["RABBITMQ_CONFIG_FILE"], _configuration);
        File.WriteAllText(_environment["RABBITMQ_CONF_ENV_FILE"], string.Empty);

        string server = FindScript("rabbitmq-server") ?? throw new InvalidOperationException(
            "rabbitmq-server is not installed: as root run 'apt-get update && apt-get install -y rabbitmq-server'");
        var start = new ProcessStartInfo(server) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Directory };
        // Under systemd the script would exec the VM and notify the caller's service manager: neither is wanted here.
        start.Environment.Remove("NOTIFY_SOCKET");
        foreach ((string key, string value) in _environment)
        {
            start.Environment[key] = value;
        }

        _process?.Dispose();
        _vmProcessId = null;
        _output.Clear();
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start rabbitmq-server");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// Waits until the node accepts TCP connections on its AMQP port, which RabbitMQ opens at the end of
    /// its boot; throws, with the node's last output lines, when it exits first or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await IsListeningAsync(Port, cancellationToken))
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"{NodeName} exited with code {_process?.ExitCode} before listening on 127.0.0.1:{Port}. {Diagnostics()}");
            }

            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"{NodeName} did not listen on 127.0.0.1:{Port} within {timeout.TotalSeconds:F0} s. {Diagnostics()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Runs rabbitmqctl against this node and returns its standard output; throws when it fails.</summary>
    public Task<string> ControlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunToolAsync("rabbitmqctl", arguments, cancellationToken);

    /// <summary>Runs one of the installed CLI tools (rabbitmqctl, rabbitmq-queues, rabbitmq-diagnostics) against this node.</summary>
    public async Task<string> RunToolAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(FindScript(tool) ?? tool)
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

        using Process control = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        Task<string> output = control.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = control.StandardError.ReadToEndAsync(cancellationToken);
        await control.WaitForExitAsync(cancellationToken);
        return control.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{tool} -n {NodeName} {string.Join(' ', start.ArgumentList.Skip(2))} exited {control.ExitCode}: {await error}{await output}");
    }

    /// <summary>
    /// Evaluates an Erlang expression (ending in a dot) on the node and returns the resulting term as text.
    /// Uses erl_call (a few milliseconds, no VM of its own) where Erlang ships it, else <c>rabbitmqctl eval</c>
    /// (about 1.5 s of CPU: the CLI boots a VM and Elixir each time), so callers may poll it.
    /// </summary>
    public async Task<string> EvalAsync(string expression, CancellationToken cancellationToken)
    {
        string? erlCall = FindErlCall();
        if (erlCall is null)
        {
            return (await ControlAsync(["eval", expression], cancellationToken)).Trim();
        }

        var start = new ProcessStartInfo(erlCall)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // With erl_call's own client names (default or -r), 13 and 16 of 20 concurrent calls failed to
        // connect here; with a name of their own, none did.
        string client = string.Create(CultureInfo.InvariantCulture, $"qicall{Environment.ProcessId}x{Interlocked.Increment(ref _evaluations)}");
        foreach (string argument in (string[])["-h", client, "-sname", NodeName, "-timeout", "30", "-e"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = _environment["HOME"];
        using Process call = Process.Start(start) ?? throw new InvalidOperationException("could not start erl_call");
        await call.StandardInput.WriteLineAsync(expression.AsMemory(), cancellationToken);
        call.StandardInput.Close();
        Task<string> output = call.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = call.StandardError.ReadToEndAsync(cancellationToken);
        await call.WaitForExitAsync(cancellationToken);
        string result = (await output).Trim();
        return call.ExitCode == 0 && result.StartsWith("{ok, ", StringComparison.Ordinal) && result.EndsWith('}')
            ? result["{ok, ".Length..^1].Trim()
            : throw new InvalidOperationException($"erl_call on {NodeName} exited {call.ExitCode}: {result}{await error}");
    }

    /// <summary>
    /// SIGKILL of the node's Erlang VM: no shutdown of any kind, as when a pod or machine dies. The
    /// rabbitmq-server script keeps the VM as its child (it forwards SIGTERM as a graceful stop), so the
    /// signal goes to the VM itself; returns once the script has seen it die.
    /// </summary>
    /// <returns>The process id the VM had.</returns>
    public async Task<int> KillAsync()
    {
        Process process = _process ?? throw new InvalidOperationException($"{NodeName} was never started");
        int vm = FindVirtualMachine(process) ?? throw new InvalidOperationException($"no beam.smp process found for {NodeName} (script pid {process.Id})");
        using (Process machine = Process.GetProcessById(vm))
        {
            // On Linux Process.Kill is kill(pid, SIGKILL).
            machine.Kill();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        return vm;
    }

    /// <summary>
    /// Graceful stop of the whole node (<c>rabbitmqctl stop</c>), as a pod's SIGTERM does; when that fails or
    /// takes longer than <paramref name="timeout"/> the VM is killed instead.
    /// </summary>
    /// <returns>Whether the node stopped gracefully (or was not running).</returns>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (!IsRunning)
        {
            return true;
        }

        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            // With the pid file, rabbitmqctl returns only once the VM has exited.
            await ControlAsync(["stop", _environment["RABBITMQ_PID_FILE"]], cancellation.Token);
            await _process!.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // Not reachable or too slow: a stop must still stop.
            if (IsRunning)
            {
                await KillAsync();
            }

            return false;
        }
    }

    /// <summary>Kills the node if it still runs, without waiting for a graceful stop (its data is about to go).</summary>
    public async Task KillIfRunningAsync()
    {
        if (IsRunning)
        {
            try
            {
                await KillAsync();
            }
            catch (InvalidOperationException)
            {
                // The VM is not up yet (or already gone): the script and whatever it started go instead.
                _process!.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Copies the node's log files into <paramref name="destination"/> before the node's directory goes away.</summary>
    public void KeepLogs(string destination, string prefix)
    {
        if (!System.IO.Directory.Exists(LogDirectory))
        {
            return;
        }

        System.IO.Directory.CreateDirectory(destination);
        foreach (string file in System.IO.Directory.EnumerateFiles(LogDirectory, "*.log"))
        {
            File.Copy(file, Path.Combine(destination, $"{prefix}-broker-{Path.GetFileName(file)}"), overwrite: true);
        }
    }

    /// <summary>The node's last output lines and where its logs are, for error messages.</summary>
    public string Diagnostics() =>
        $"Logs: {LogDirectory}. Last output:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}";

    /// <summary>The <c>cluster_name</c> the broker on <paramref name="connectionString"/> announces in its server properties.</summary>
    public static async Task<string?> ReadClusterNameAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using IConnection connection = await BrokerConnections.OpenAsync(connectionString, "qi-bench-identity", cancellationToken);
        return connection.ServerProperties?.TryGetValue("cluster_name", out object? value) == true && value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;
    }

    private static string? FindErlCall() =>
        ErlangRoots.Select(root => Path.Combine(root, "bin", "erl_call")).FirstOrDefault(File.Exists)
        ?? ErlangRoots.Where(System.IO.Directory.Exists)
            .SelectMany(root => System.IO.Directory.EnumerateDirectories(root, "erts-*"))
            .Select(erts => Path.Combine(erts, "bin", "erl_call"))
            .FirstOrDefault(File.Exists);

    public static string? FindScript(string name) =>
        ScriptDirectories.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
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

    /// <summary>The beam.smp process of this run: the script itself when it exec'd the VM, else its child.</summary>
    private static int? FindVirtualMachine(Process script)
    {
        if (IsVirtualMachine(script.Id))
        {
            return script.Id;
        }

        string children = $"/proc/{script.Id}/task/{script.Id}/children";
        if (!File.Exists(children))
        {
            return null;
        }

        foreach (string child in File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int pid = int.Parse(child, CultureInfo.InvariantCulture);
            if (IsVirtualMachine(pid))
            {
                return pid;
            }
        }

        return null;
    }

    private static bool IsVirtualMachine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == "beam.smp";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > OutputLinesKept && _output.TryDequeue(out _))
        {
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace QueueInference.Testing;

/// <summary>
/// The worker host run as its own process, as in a pod, so tests can send it SIGTERM (KEDA
/// scale-in) or SIGKILL (a crash) and watch its log lines.
/// </summary>
public sealed partial class WorkerProcess : IAsyncDisposable
{
    /// <summary>
    /// A phrase only the worker's "now consuming" line contains (the logger category of every
    /// consumer line contains "Consuming", so that word alone proves nothing).
    /// </summary>
    public const string ConsumingMarker = "consumer(s) of prefetch";

    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private WorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyCollection<string> Lines => _lines;

    public string Output => string.Join(Environment.NewLine, _lines);

    /// <summary>
    /// Starts <paramref name="appPath"/> (a native executable, or a dll run by <c>dotnet</c>) with settings as environment
    /// variables and the given command-line arguments.
    /// </summary>
    public static WorkerProcess Start(string appPath, IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        bool managed = appPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(managed ? "dotnet" : appPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(appPath)! };
        if (managed)
        {
            start.ArgumentList.Add(appPath);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach ((string key, string value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {appPath}."));
    }

    /// <summary>Waits for a log line containing <paramref name="text"/>; fails with the log so far.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!_lines.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The worker exited ({_process.ExitCode}) before logging '{text}':{Environment.NewLine}{Output}");
            }

            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"The worker did not log '{text}' within {timeout}:{Environment.NewLine}{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>SIGTERM, as Kubernetes sends before a pod is removed.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>SIGKILL: no drain, no acks, no goodbye.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

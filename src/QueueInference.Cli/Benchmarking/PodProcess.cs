using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using QueueInference.Cli.LoadTesting;
using QueueInference.Pipeline.Processing;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// A process started inside an <see cref="IPodSandbox"/>: the shell joins the sandbox, then execs
/// the command, so the process keeps the shell's pid and never runs outside the limits. Output
/// goes to a log file; peak RSS and CPU time come from procfs before the process is stopped.
/// Lines containing one of the watched fragments are also kept with the time they were written.
/// </summary>
public sealed class PodProcess : IAsyncDisposable
{
    /// <summary>How long a listing of the compute threads is reused; the worker starts them together and keeps them.</summary>
    private static readonly TimeSpan ComputeThreadsRescan = TimeSpan.FromSeconds(1);

    private readonly Process _process;
    private ThreadListing? _computeThreads;
    private readonly StreamWriter _log;
    private readonly ConcurrentQueue<PodLogLine> _watched;

    private PodProcess(Process process, StreamWriter log, double startedAt, ConcurrentQueue<PodLogLine> watched)
    {
        _process = process;
        _log = log;
        StartedAt = startedAt;
        _watched = watched;
    }

    /// <summary>Unix seconds just before the process was started: the cold-start origin.</summary>
    public double StartedAt { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process has exited (a signal N shows as 128 + N), else null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The output lines that contained a watched fragment, in the order they were written.</summary>
    public IReadOnlyList<PodLogLine> WatchedLines => [.. _watched];

    /// <param name="watchedFragments">Output lines containing any of these are kept in <see cref="WatchedLines"/> with their time.</param>
    public static PodProcess Start(IPodSandbox sandbox, string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath, string? workingDirectory = null, IReadOnlyList<string>? watchedFragments = null)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(sandbox.EnterCommand + "exec \"$0\" \"$@\"");
        start.ArgumentList.Add(fileName);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var watched = new ConcurrentQueue<PodLogLine>();
        IReadOnlyList<string> fragments = watchedFragments ?? [];
        double startedAt = UnixTime.Now();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.OutputDataReceived += (_, line) => WriteLog(log, line.Data, fragments, watched);
        process.ErrorDataReceived += (_, line) => WriteLog(log, line.Data, fragments, watched);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PodProcess(process, log, startedAt, watched);
    }

    private static void WriteLog(StreamWriter log, string? line, IReadOnlyList<string> fragments, ConcurrentQueue<PodLogLine> watched)
    {
        if (line is null)
        {
            return;
        }

        if (fragments.Any(fragment => line.Contains(fragment, StringComparison.Ordinal)))
        {
            watched.Enqueue(new PodLogLine(UnixTime.Now(), line));
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>Peak resident set (VmHWM) in MiB, or null once the process is gone.</summary>
    public double? PeakRssMiB() => ReadStatusKiB("VmHWM") / 1024.0;

    /// <summary>User + system CPU seconds so far, from /proc/pid/stat (clock ticks of 1/100 s).</summary>
    public double? CpuSeconds() => ProcStat.ProcessCpuSeconds(_process.Id);

    /// <summary>
    /// CPU seconds of the worker's compute threads (the transformation and inference), in 10 ms ticks: 0 before the
    /// worker starts them, null once the process is gone. A thread that ended is no longer counted, so read it while the
    /// pod drains.
    /// </summary>
    public double? ComputeThreadsCpuSeconds() => ComputeThreads() is { } tasks ? ProcessThreads.CpuSeconds(tasks) : null;

    /// <summary>Seconds the worker's compute threads were runnable but waited for a core (<see cref="ProcessThreads.RunQueueWaitSeconds"/>).</summary>
    public double? ComputeThreadsRunQueueSeconds() => ComputeThreads() is { } tasks ? ProcessThreads.RunQueueWaitSeconds(tasks) : null;

    /// <summary>
    /// The compute threads' /proc directories, found again at most once a second: both timelines sample them every
    /// 100 ms, and finding them reads every thread's stat file.
    /// </summary>
    private IReadOnlyList<string>? ComputeThreads()
    {
        ThreadListing? cached = Volatile.Read(ref _computeThreads);
        if (cached is not null && cached.Tasks.Count > 0 && Stopwatch.GetElapsedTime(cached.At) < ComputeThreadsRescan)
        {
            return cached.Tasks;
        }

        IReadOnlyList<string>? tasks = ProcessThreads.TaskDirectories(_process.Id, ComputeScheduler.ThreadNamePrefix);
        if (tasks is not null)
        {
            Volatile.Write(ref _computeThreads, new ThreadListing(tasks, Stopwatch.GetTimestamp()));
        }

        return tasks;
    }

    private double? ReadStatusKiB(string key)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith(key + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line[(key.Length + 1)..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process has exited.
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    /// <summary>Threads found in /proc, and when (a <see cref="Stopwatch"/> timestamp).</summary>
    private sealed record ThreadListing(IReadOnlyList<string> Tasks, long At);
}

using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// The pod's CPU time, sampled every <see cref="Interval"/> while its process runs, so the CPU of any stretch of
/// the run (the drain, from its first pick-up to its last reply) can be read afterwards by interpolation. The
/// sandbox's cgroup counter is used where it has one (microseconds or nanoseconds); otherwise the process's
/// /proc/&lt;pid&gt;/stat, which counts 10 ms ticks.
/// </summary>
public sealed class CpuTimeline : IAsyncDisposable
{
    /// <summary>Between two samples the pod's 1 CPU can use at most this much: the bound on an interpolated reading's error.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    private readonly List<CpuSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    /// <summary>The compute threads' sampling interval: each sample reads a file per thread of the pod's process.</summary>
    public static readonly TimeSpan ComputeThreadsInterval = TimeSpan.FromMilliseconds(100);

    private CpuTimeline(Func<double?> read, string source, TimeSpan interval)
    {
        Source = source;
        _sampling = Task.Run(() => SampleAsync(read, interval, _stop.Token));
    }

    /// <summary>Where the CPU time is read: <c>cgroup</c> or <c>procfs</c> (10 ms ticks).</summary>
    public string Source { get; }

    public static CpuTimeline Start(IPodSandbox sandbox, PodProcess pod)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(pod);
        return sandbox.CpuSeconds() is not null
            ? new CpuTimeline(sandbox.CpuSeconds, "cgroup", Interval)
            : new CpuTimeline(pod.CpuSeconds, "procfs", Interval);
    }

    /// <summary>The worker's compute threads (transformation and inference) alone, from /proc (10 ms ticks).</summary>
    public static CpuTimeline StartComputeThreads(PodProcess pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return new CpuTimeline(pod.ComputeThreadsCpuSeconds, "procfs", ComputeThreadsInterval);
    }

    /// <summary>The time the worker's compute threads waited for a core while they had work, from /proc (nanoseconds).</summary>
    public static CpuTimeline StartComputeThreadsRunQueue(PodProcess pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return new CpuTimeline(pod.ComputeThreadsRunQueueSeconds, "procfs", ComputeThreadsInterval);
    }

    /// <summary>The machine's idle CPU time (every core's, from /proc/stat in 10 ms ticks), over the same windows as the pod's.</summary>
    public static CpuTimeline StartMachineIdle() => new(MachineIdle.ReadSeconds, "procfs", ComputeThreadsInterval);

    /// <summary>The benchmark's own broker node (its Erlang VM, from /proc), over the same windows as the pod's.</summary>
    public static CpuTimeline StartBroker(PrivateBroker broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return new CpuTimeline(broker.CpuSeconds, "procfs", ComputeThreadsInterval);
    }

    /// <summary>This tool's own process (publishing, collecting replies, sampling), over the same windows as the pod's.</summary>
    public static CpuTimeline StartOwnProcess() => new(() => ProcStat.ProcessCpuSeconds(Environment.ProcessId), "procfs", ComputeThreadsInterval);

    /// <summary>Stops sampling (one last sample first) and returns the samples, oldest first.</summary>
    public async Task<IReadOnlyList<CpuSample>> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        return _samples;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task SampleAsync(Func<double?> read, TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                Sample(read);
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped: the last reply has arrived.
        }

        Sample(read);
    }

    private void Sample(Func<double?> read)
    {
        // Read, then time-stamp: the reading is at most a file read old.
        if (read() is { } cpu)
        {
            _samples.Add(new CpuSample(UnixTime.Now(), cpu));
        }
    }
}

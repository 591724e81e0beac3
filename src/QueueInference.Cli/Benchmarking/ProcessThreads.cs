namespace QueueInference.Cli.Benchmarking;

/// <summary>Per-thread figures of a Linux process, from /proc/&lt;pid&gt;/task.</summary>
public static class ProcessThreads
{
    /// <summary>
    /// User plus system CPU seconds of the threads whose name starts with <paramref name="namePrefix"/>, in the kernel's
    /// 10 ms ticks: 0 while the process has no such thread (a worker starts its compute threads when its pipeline is
    /// first needed, which may be after the first pick-up); null when the process is gone.
    /// </summary>
    public static double? CpuSeconds(int processId, string namePrefix) =>
        Sum(processId, namePrefix, static (task, stat) => ProcStat.CpuTicks(stat) / ProcStat.TicksPerSecond);

    /// <summary>
    /// Seconds the threads whose name starts with <paramref name="namePrefix"/> spent runnable but waiting for a core,
    /// from each thread's <c>schedstat</c> (its second field, in nanoseconds): time a thread with work lost to other
    /// threads, this process's or the machine's. Null when the process is gone or the kernel keeps no schedstat.
    /// </summary>
    public static double? RunQueueWaitSeconds(int processId, string namePrefix) =>
        Sum(processId, namePrefix, static (task, _) => ReadFile(task, "schedstat") is { } schedstat ? long.Parse(schedstat.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) / 1e9 : 0);

    private static double? Sum(int processId, string namePrefix, Func<string, string, double> figure)
    {
        ArgumentException.ThrowIfNullOrEmpty(namePrefix);
        try
        {
            double total = 0;
            foreach (string task in Directory.EnumerateDirectories($"/proc/{processId}/task"))
            {
                if (ReadFile(task, "stat") is { } stat && ProcStat.Name(stat).StartsWith(namePrefix, StringComparison.Ordinal))
                {
                    total += figure(task, stat);
                }
            }

            return total;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // The process is gone, or the kernel has no such figure.
            return null;
        }
    }

    /// <summary>A thread's file; null when the thread ended after the listing (a busy pool retires threads often).</summary>
    private static string? ReadFile(string task, string name)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, name));
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }
}

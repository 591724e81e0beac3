namespace QueueInference.Cli.Benchmarking;

/// <summary>Per-thread figures of a Linux process, from /proc/&lt;pid&gt;/task.</summary>
public static class ProcessThreads
{
    /// <summary>
    /// User plus system CPU seconds of the threads whose name starts with <paramref name="namePrefix"/>, in the kernel's
    /// 10 ms ticks: 0 while the process has no such thread (a worker starts its compute threads when its pipeline is
    /// first needed, which may be after the first pick-up); null when the process is gone.
    /// </summary>
    public static double? CpuSeconds(int processId, string namePrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(namePrefix);
        try
        {
            long ticks = 0;
            foreach (string task in Directory.EnumerateDirectories($"/proc/{processId}/task"))
            {
                if (ReadStat(task) is { } stat && ProcStat.Name(stat).StartsWith(namePrefix, StringComparison.Ordinal))
                {
                    ticks += ProcStat.CpuTicks(stat);
                }
            }

            return ticks / ProcStat.TicksPerSecond;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // The process is gone.
            return null;
        }
    }

    /// <summary>A thread's stat line; null when the thread ended after the listing (a busy pool retires threads often).</summary>
    private static string? ReadStat(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "stat"));
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }
}

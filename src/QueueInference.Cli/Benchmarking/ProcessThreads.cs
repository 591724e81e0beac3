using System.Globalization;

namespace QueueInference.Cli.Benchmarking;

/// <summary>Per-thread figures of a Linux process, from /proc/&lt;pid&gt;/task.</summary>
public static class ProcessThreads
{
    /// <summary>
    /// User plus system CPU seconds of <paramref name="tasks"/> (found by <see cref="TaskDirectories"/>), in the kernel's
    /// 10 ms ticks: 0 with no thread (a worker starts its compute threads when its pipeline is first needed, which may
    /// be after the first pick-up); null when none of them can be read any more (the process is gone).
    /// </summary>
    public static double? CpuSeconds(IReadOnlyList<string> tasks) =>
        Sum(tasks, "stat", static stat => ProcStat.CpuTicks(stat) / ProcStat.TicksPerSecond);

    /// <summary>
    /// Seconds <paramref name="tasks"/> spent runnable but waiting for a core, from each thread's <c>schedstat</c> (its
    /// second field, in nanoseconds): time a thread with work lost to other threads, this process's or the machine's.
    /// Null when none of them can be read any more or the kernel keeps no schedstat.
    /// </summary>
    public static double? RunQueueWaitSeconds(IReadOnlyList<string> tasks) =>
        Sum(tasks, "schedstat", static schedstat => long.Parse(schedstat.Split(' ')[1], CultureInfo.InvariantCulture) / 1e9);

    /// <summary>The /proc task directories of the process's threads whose name starts with <paramref name="namePrefix"/>; null when the process is gone.</summary>
    public static IReadOnlyList<string>? TaskDirectories(int processId, string namePrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(namePrefix);
        try
        {
            return [.. Directory.EnumerateDirectories($"/proc/{processId}/task")
                .Where(task => ReadFile(task, "stat") is { } stat && ProcStat.Name(stat).StartsWith(namePrefix, StringComparison.Ordinal))];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The process is gone.
            return null;
        }
    }

    /// <summary>The figure summed over the threads; 0 with no thread, null when threads were given and none could be read (the process is gone).</summary>
    private static double? Sum(IReadOnlyList<string> tasks, string file, Func<string, double> figure)
    {
        double total = 0;
        int read = 0;
        try
        {
            foreach (string task in tasks)
            {
                if (ReadFile(task, file) is { } text)
                {
                    total += figure(text);
                    read++;
                }
            }
        }
        catch (Exception exception) when (exception is FormatException or IndexOutOfRangeException)
        {
            // The kernel has no such figure.
            return null;
        }

        return tasks.Count > 0 && read == 0 ? null : total;
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

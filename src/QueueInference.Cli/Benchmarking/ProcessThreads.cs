using System.Globalization;

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
                if (ReadStat(task) is not { } stat)
                {
                    continue;
                }

                int open = stat.IndexOf('(', StringComparison.Ordinal);
                int close = stat.LastIndexOf(')');
                if (open < 0 || close <= open || !stat.AsSpan(open + 1, close - open - 1).StartsWith(namePrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                // After "pid (comm) ", field 3 (state) is index 0: utime is field 14, stime field 15.
                string[] fields = stat[(close + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }

            return ticks / 100.0;
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

using System.Globalization;

namespace QueueInference.Cli.Benchmarking;

/// <summary>The CPU time in a /proc/&lt;pid&gt;/stat or /proc/&lt;pid&gt;/task/&lt;tid&gt;/stat line.</summary>
public static class ProcStat
{
    /// <summary>The kernel's clock ticks per second in those files (USER_HZ).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>The thread or process name, between the first '(' and the last ')': it may itself hold either.</summary>
    public static ReadOnlySpan<char> Name(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int open = line.IndexOf('(', StringComparison.Ordinal);
        int close = line.LastIndexOf(')');
        return open < 0 || close <= open ? [] : line.AsSpan(open + 1, close - open - 1);
    }

    /// <summary>User plus system time in clock ticks; throws <see cref="FormatException"/> or <see cref="IndexOutOfRangeException"/> on a line that is not a stat line.</summary>
    public static long CpuTicks(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        // After "pid (comm) ", field 3 (state) is index 0: utime is field 14, stime field 15.
        string[] fields = line[(line.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// User plus system CPU seconds of process <paramref name="processId"/> so far (every thread, ended ones included), in
    /// 10 ms ticks; null when it is gone or its stat line cannot be read.
    /// </summary>
    public static double? ProcessCpuSeconds(int processId)
    {
        try
        {
            return CpuTicks(File.ReadAllText($"/proc/{processId}/stat")) / TicksPerSecond;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

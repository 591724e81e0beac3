using System.Globalization;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// The machine's idle CPU time, from the first line of /proc/stat: on a machine that also runs the broker and this
/// tool, a pod below its 1 CPU with no idle core left was waiting for cores they were using, not for work.
/// </summary>
public static class MachineIdle
{
    private const string ProcStatPath = "/proc/stat";

    /// <summary>Idle seconds summed over every CPU since boot; null where /proc/stat cannot be read.</summary>
    public static double? ReadSeconds()
    {
        try
        {
            using var reader = new StreamReader(ProcStatPath);
            return reader.ReadLine() is { } line ? IdleTicks(line) / ProcStat.TicksPerSecond : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Idle plus I/O-wait ticks of /proc/stat's aggregate <c>cpu</c> line (<c>cpu user nice system idle iowait …</c>):
    /// a CPU waiting for I/O runs nothing. Throws <see cref="FormatException"/> on another line.
    /// </summary>
    public static long IdleTicks(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 6 || fields[0] != "cpu")
        {
            throw new FormatException($"not the aggregate cpu line of /proc/stat: '{line}'");
        }

        return long.Parse(fields[4], CultureInfo.InvariantCulture) + long.Parse(fields[5], CultureInfo.InvariantCulture);
    }
}

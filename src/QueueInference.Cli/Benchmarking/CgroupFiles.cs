using System.Globalization;

namespace QueueInference.Cli.Benchmarking;

/// <summary>Reads cgroup and procfs counters; a missing file or key reads as null (older kernels lack some).</summary>
public static class CgroupFiles
{
    public static long? ReadLong(string path) =>
        File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : null;

    /// <summary>The value of a "key value" line, as in memory.oom_control, memory.events and cpu.stat.</summary>
    public static long? ReadKey(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return ParseKey(File.ReadAllLines(path), key);
    }

    public static long? ParseKey(IEnumerable<string> lines, string key)
    {
        foreach (string line in lines)
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            {
                return value;
            }
        }

        return null;
    }
}

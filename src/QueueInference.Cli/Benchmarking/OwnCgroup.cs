namespace QueueInference.Cli.Benchmarking;

/// <summary>Where this process sits in the cgroup tree (/proc/self/cgroup), to create the pod beneath it.</summary>
public static class OwnCgroup
{
    private const string Root = "/sys/fs/cgroup";

    public static bool IsUnified => File.Exists(Path.Combine(Root, "cgroup.controllers"));

    /// <summary>The v1 directory of <paramref name="controller"/> for this process, or null when that hierarchy is not mounted.</summary>
    public static string? V1Path(string controller)
    {
        if (IsUnified || !Directory.Exists(Path.Combine(Root, controller)))
        {
            return null;
        }

        foreach (string line in ReadSelf())
        {
            string[] parts = line.Split(':', 3);
            if (parts.Length == 3 && parts[1].Split(',').Contains(controller))
            {
                return Path.Combine(Root, controller) + parts[2].TrimEnd('/');
            }
        }

        return null;
    }

    public static string? V2Path()
    {
        if (!IsUnified)
        {
            return null;
        }

        string? line = ReadSelf().FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal));
        return line is null ? null : Root + line[3..].TrimEnd('/');
    }

    private static string[] ReadSelf() => File.Exists("/proc/self/cgroup") ? File.ReadAllLines("/proc/self/cgroup") : [];
}

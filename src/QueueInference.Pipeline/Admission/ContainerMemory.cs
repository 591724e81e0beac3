using System.Globalization;

namespace QueueInference.Pipeline.Admission;

/// <summary>
/// The memory limit of the container this process runs in, read from its cgroup (v2 <c>memory.max</c> of
/// its cgroup and every parent, or v1 <c>hierarchical_memory_limit</c> in <c>memory.stat</c>), found through
/// <c>/proc/self/cgroup</c> and <c>/proc/self/mountinfo</c>. Without a limit the machine's memory counts,
/// as the runtime reports it.
/// </summary>
public sealed record ContainerMemory(long LimitBytes, string Source)
{
    /// <summary>cgroup v1 writes "no limit" as the largest page-aligned long.</summary>
    private const long V1Unlimited = long.MaxValue / 4096 * 4096;

    public static ContainerMemory Detect() => Detect("/");

    /// <summary>Reads the limit with every absolute path below <paramref name="root"/> (tests pass a fake tree).</summary>
    public static ContainerMemory Detect(string root)
    {
        try
        {
            if (FromCgroup(root) is { } limit)
            {
                return limit;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // An unreadable cgroup tree is no limit we can honour: fall back to the machine.
        }

        return new ContainerMemory(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, "no container limit: the machine's memory as the runtime reports it");
    }

    private static ContainerMemory? FromCgroup(string root)
    {
        string Rooted(string path) => Path.Combine(root, path.TrimStart('/'));
        string[] membership = File.ReadAllLines(Rooted("/proc/self/cgroup"));
        string[] mounts = File.ReadAllLines(Rooted("/proc/self/mountinfo"));
        foreach (string mount in mounts)
        {
            string[] halves = mount.Split(" - ", 2);
            if (halves.Length < 2)
            {
                continue;
            }

            string[] fields = halves[0].Split(' ');
            string[] filesystem = halves[1].Split(' ');
            if (fields.Length < 5 || filesystem.Length < 3)
            {
                continue;
            }

            (string mountRoot, string mountPoint) = (Unescape(fields[3]), Unescape(fields[4]));
            if (filesystem[0] == "cgroup2" && membership.FirstOrDefault(line => line.StartsWith("0::", StringComparison.Ordinal)) is { } v2)
            {
                string directory = Rooted(Path.Combine(mountPoint, Relative(v2[3..], mountRoot)));
                long? limit = null;
                string? source = null;
                // The lowest memory.max on the way up to the mount point is the one that applies.
                for (string? current = directory; current is not null && current.StartsWith(Rooted(mountPoint), StringComparison.Ordinal); current = Path.GetDirectoryName(current))
                {
                    string file = Path.Combine(current, "memory.max");
                    if (File.Exists(file) && long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value < (limit ?? long.MaxValue))
                    {
                        (limit, source) = (value, file);
                    }
                }

                if (limit is { } found)
                {
                    return new ContainerMemory(found, $"cgroup v2 {source}");
                }
            }
            else if (filesystem[0] == "cgroup" && filesystem[2].Split(',').Contains("memory")
                && membership.Select(line => line.Split(':', 3)).FirstOrDefault(parts => parts.Length == 3 && parts[1].Split(',').Contains("memory")) is { } v1)
            {
                string stat = Rooted(Path.Combine(mountPoint, Relative(v1[2], mountRoot), "memory.stat"));
                string? line = File.Exists(stat) ? File.ReadLines(stat).FirstOrDefault(l => l.StartsWith("hierarchical_memory_limit ", StringComparison.Ordinal)) : null;
                if (line is not null && long.TryParse(line.AsSpan("hierarchical_memory_limit ".Length), NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value < V1Unlimited)
                {
                    return new ContainerMemory(value, $"cgroup v1 {stat} hierarchical_memory_limit");
                }
            }
        }

        return null;
    }

    /// <summary>The cgroup's path below the mount, which shows only part of the tree inside a container.</summary>
    private static string Relative(string cgroupPath, string mountRoot) =>
        (mountRoot != "/" && cgroupPath.StartsWith(mountRoot, StringComparison.Ordinal) ? cgroupPath[mountRoot.Length..] : cgroupPath).TrimStart('/');

    /// <summary>mountinfo escapes space, tab, newline and backslash as octal.</summary>
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal).Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}

using QueueInference.Pipeline.Admission;

namespace QueueInference.Pipeline.Tests.Admission;

public sealed class ContainerMemoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("qi-cgroup-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string path, string text)
    {
        string full = Path.Combine(_root, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    [Fact]
    public void Detect_CgroupV2_LowestMemoryMaxOnTheWayUp()
    {
        // Arrange
        Write("/proc/self/cgroup", "0::/kubepods/pod1/app\n");
        Write("/proc/self/mountinfo", "30 22 0:27 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
        Write("/sys/fs/cgroup/kubepods/memory.max", "max\n");
        Write("/sys/fs/cgroup/kubepods/pod1/memory.max", "536870912\n");
        Write("/sys/fs/cgroup/kubepods/pod1/app/memory.max", "max\n");

        // Act
        ContainerMemory memory = ContainerMemory.Detect(_root);

        // Assert
        Assert.Equal(536_870_912, memory.LimitBytes);
        Assert.Contains("cgroup v2", memory.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_CgroupV2InsideANamespace_PathRelativeToTheMount()
    {
        // Arrange: the container sees its own cgroup as the mount's root.
        Write("/proc/self/cgroup", "0::/\n");
        Write("/proc/self/mountinfo", "30 22 0:27 /kubepods/pod1 /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n");
        Write("/sys/fs/cgroup/memory.max", "268435456\n");

        // Act
        ContainerMemory memory = ContainerMemory.Detect(_root);

        // Assert
        Assert.Equal(268_435_456, memory.LimitBytes);
    }

    [Fact]
    public void Detect_CgroupV1_HierarchicalLimit()
    {
        // Arrange
        Write("/proc/self/cgroup", "4:memory:/process_api/abc/pod\n1:cpu:/\n0::/\n");
        Write("/proc/self/mountinfo", "34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n40 30 0:37 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n");
        Write("/sys/fs/cgroup/memory/process_api/abc/pod/memory.stat", "cache 0\nhierarchical_memory_limit 536870912\nhierarchical_memsw_limit 9223372036854771712\n");

        // Act
        ContainerMemory memory = ContainerMemory.Detect(_root);

        // Assert
        Assert.Equal(536_870_912, memory.LimitBytes);
        Assert.Contains("cgroup v1", memory.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_NoLimit_TheMachinesMemory()
    {
        // Arrange
        Write("/proc/self/cgroup", "4:memory:/\n0::/\n");
        Write("/proc/self/mountinfo", "34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
        Write("/sys/fs/cgroup/memory/memory.stat", "hierarchical_memory_limit 9223372036854771712\n");

        // Act
        ContainerMemory memory = ContainerMemory.Detect(_root);

        // Assert
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, memory.LimitBytes);
        Assert.Contains("no container limit", memory.Source, StringComparison.Ordinal);
    }
}

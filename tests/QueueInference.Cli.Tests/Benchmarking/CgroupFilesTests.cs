using QueueInference.Cli.Benchmarking;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class CgroupFilesTests
{
    [Fact]
    public void ParseKey_OomControl_ReadsOomKill()
    {
        string[] lines = ["oom_kill_disable 0", "under_oom 0", "oom_kill 2"];

        Assert.Equal(2, CgroupFiles.ParseKey(lines, "oom_kill"));
    }

    [Fact]
    public void ParseKey_KeyAbsent_Null()
    {
        string[] lines = ["nr_periods 10", "nr_throttled 3"];

        Assert.Null(CgroupFiles.ParseKey(lines, "throttled_time"));
    }
}

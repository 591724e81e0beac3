using QueueInference.Cli.Benchmarking;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class ProcessThreadsTests
{
    [Fact]
    public void CpuSeconds_ANamedThreadThatSpun_CountsItsTicks()
    {
        // Arrange: a thread of this process named like the worker's compute threads spins until it has used 200 ms of
        // CPU (20 ticks), however long a busy machine makes that take.
        string prefix = $"qi-t{Environment.ProcessId % 1000}-";
        using var spun = new ManualResetEventSlim();
        using var done = new ManualResetEventSlim();
        var spinner = new Thread(() =>
        {
            TimeSpan until = ThreadCpuTime.Now() + TimeSpan.FromMilliseconds(200);
            while (ThreadCpuTime.Now() < until)
            {
                Thread.SpinWait(1000);
            }

            spun.Set();
            done.Wait();
        })
        { Name = prefix + "0", IsBackground = true };
        spinner.Start();
        Assert.True(spun.Wait(TimeSpan.FromMinutes(1)));

        // Act
        double? cpu = CpuSeconds(Environment.ProcessId, prefix);
        done.Set();
        spinner.Join();

        // Assert
        Assert.NotNull(cpu);
        Assert.InRange(cpu.Value, 0.05, 5);
    }

    [Fact]
    public void RunQueueWaitSeconds_MoreSpinningThreadsThanCores_CountsTheirWaitForACore()
    {
        // Arrange: one more thread than the machine has cores, all spinning for the same 300 ms: together they wait at
        // least 300 ms for a core.
        string prefix = $"qi-w{Environment.ProcessId % 1000}-";
        using var done = new ManualResetEventSlim();
        var until = DateTime.UtcNow.AddMilliseconds(300);
        Thread[] spinners = [.. Enumerable.Range(0, Environment.ProcessorCount + 1).Select(i => new Thread(() =>
        {
            while (DateTime.UtcNow < until)
            {
                Thread.SpinWait(1000);
            }

            done.Wait();
        })
        { Name = prefix + i, IsBackground = true })];
        foreach (Thread spinner in spinners)
        {
            spinner.Start();
        }

        Thread.Sleep(500);

        // Act
        double? waited = RunQueueWaitSeconds(Environment.ProcessId, prefix);
        done.Set();
        foreach (Thread spinner in spinners)
        {
            spinner.Join();
        }

        // Assert
        Assert.NotNull(waited);
        Assert.InRange(waited.Value, 0.05, 60);
    }

    [Fact]
    public void CpuSeconds_NoThreadWithThePrefix_Zero()
    {
        // Act + Assert: none of them has used any CPU yet.
        Assert.Equal(0, CpuSeconds(Environment.ProcessId, "no-such-thread-"));
    }

    [Fact]
    public void CpuSeconds_NoSuchProcess_Null()
    {
        // Act + Assert: pid_max on Linux is at most 2^22.
        Assert.Null(CpuSeconds(int.MaxValue, "qi-compute-"));
    }

    // As PodProcess reads them: find the threads, then sum their figure.
    private static double? CpuSeconds(int processId, string namePrefix) =>
        ProcessThreads.TaskDirectories(processId, namePrefix) is { } tasks ? ProcessThreads.CpuSeconds(tasks) : null;

    private static double? RunQueueWaitSeconds(int processId, string namePrefix) =>
        ProcessThreads.TaskDirectories(processId, namePrefix) is { } tasks ? ProcessThreads.RunQueueWaitSeconds(tasks) : null;
}

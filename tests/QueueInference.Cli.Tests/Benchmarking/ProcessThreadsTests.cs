using QueueInference.Cli.Benchmarking;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class ProcessThreadsTests
{
    [Fact]
    public void CpuSeconds_ANamedThreadThatSpun_CountsItsTicks()
    {
        // Arrange: a thread of this process named like the worker's compute threads spins for 200 ms (20 ticks).
        string prefix = $"qi-t{Environment.ProcessId % 1000}-";
        using var done = new ManualResetEventSlim();
        var spinner = new Thread(() =>
        {
            var until = DateTime.UtcNow.AddMilliseconds(200);
            while (DateTime.UtcNow < until)
            {
                Thread.SpinWait(1000);
            }

            done.Wait();
        })
        { Name = prefix + "0", IsBackground = true };
        spinner.Start();
        Thread.Sleep(400);

        // Act
        double? cpu = ProcessThreads.CpuSeconds(Environment.ProcessId, prefix);
        done.Set();
        spinner.Join();

        // Assert
        Assert.NotNull(cpu);
        Assert.InRange(cpu.Value, 0.05, 5);
    }

    [Fact]
    public void CpuSeconds_NoThreadWithThePrefix_Zero()
    {
        // Act + Assert: none of them has used any CPU yet.
        Assert.Equal(0, ProcessThreads.CpuSeconds(Environment.ProcessId, "no-such-thread-"));
    }

    [Fact]
    public void CpuSeconds_NoSuchProcess_Null()
    {
        // Act + Assert: pid_max on Linux is at most 2^22.
        Assert.Null(ProcessThreads.CpuSeconds(int.MaxValue, "qi-compute-"));
    }
}

using System.Runtime.InteropServices;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// The calling thread's CPU time, for timing work that runs on that thread alone: process CPU time would add whatever
/// the tool's other threads do meanwhile (a few per cent in a bench run). Linux's <c>CLOCK_THREAD_CPUTIME_ID</c>, to the
/// nanosecond; elsewhere the process's CPU time, as qi bench runs on Linux only.
/// </summary>
public static class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    public static TimeSpan Now()
    {
        if (OperatingSystem.IsLinux() && clock_gettime(ClockThreadCpuTimeId, out Timespec now) == 0)
        {
            return TimeSpan.FromTicks((now.Seconds * TimeSpan.TicksPerSecond) + (now.Nanoseconds / 100));
        }

        return Environment.CpuUsage.TotalTime;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clockId, out Timespec time);
}

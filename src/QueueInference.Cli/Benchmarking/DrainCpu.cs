using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// The pod's CPU per message over a drain, start-up excluded (issue 14): the CPU it used from the first request's
/// pick-up to the last reply's arrival, divided by the replies. Every reply's work lies in that window, and the
/// process's start (runtime, JIT of the start path, model load, connecting) lies before it.
/// </summary>
/// <param name="MicrosecondsPerMessage">CPU µs per reply over the window.</param>
/// <param name="CpuSeconds">CPU seconds the pod used in the window.</param>
/// <param name="WindowSeconds">First pick-up to last reply received.</param>
/// <param name="Messages">Replies (first replies only; duplicates are not counted).</param>
/// <param name="Source"><c>cgroup</c> or <c>procfs</c> (10 ms ticks).</param>
/// <param name="MicrosecondsPerMessageFromFirstReply">
/// The same from the first reply's arrival instead, divided by the replies after it. With an I/O step this leaves out
/// the intake of the requests picked up before the first reply came back (up to Consumer:MaxInFlight of them) while
/// counting their replies, so it reads low; kept for comparison.
/// </param>
public sealed record DrainCpu(double MicrosecondsPerMessage, double CpuSeconds, double WindowSeconds, long Messages, string Source, double? MicrosecondsPerMessageFromFirstReply)
{
    /// <summary>Null with fewer than two replies, or when the samples do not cover the window.</summary>
    public static DrainCpu? Measure(IReadOnlyList<CpuSample> samples, IReadOnlyList<CompletedMessage> completed, string source)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(completed);
        if (completed.Count < 2)
        {
            return null;
        }

        double firstPickUp = completed.Min(c => c.PickUpTimestamp);
        double firstReply = completed.Min(c => c.ReceivedTimestamp);
        double lastReply = completed.Max(c => c.ReceivedTimestamp);
        if (CpuAt(samples, firstPickUp) is not { } atStart || CpuAt(samples, lastReply) is not { } atEnd || lastReply <= firstPickUp)
        {
            return null;
        }

        double cpu = atEnd - atStart;
        double? fromFirstReply = CpuAt(samples, firstReply) is { } atFirstReply ? (atEnd - atFirstReply) / (completed.Count - 1) * 1e6 : null;
        return new DrainCpu(cpu / completed.Count * 1e6, cpu, lastReply - firstPickUp, completed.Count, source, fromFirstReply);
    }

    /// <summary>The CPU time at <paramref name="unixSeconds"/>, interpolated linearly between the samples around it; null outside them.</summary>
    public static double? CpuAt(IReadOnlyList<CpuSample> samples, double unixSeconds)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0 || unixSeconds < samples[0].UnixSeconds || unixSeconds > samples[^1].UnixSeconds)
        {
            return null;
        }

        int low = 0;
        int high = samples.Count - 1;
        while (high - low > 1)
        {
            int middle = (low + high) / 2;
            (low, high) = samples[middle].UnixSeconds <= unixSeconds ? (middle, high) : (low, middle);
        }

        CpuSample before = samples[low];
        CpuSample after = samples[high];
        double span = after.UnixSeconds - before.UnixSeconds;
        return span <= 0 ? after.CpuSeconds : before.CpuSeconds + ((after.CpuSeconds - before.CpuSeconds) * (unixSeconds - before.UnixSeconds) / span);
    }
}

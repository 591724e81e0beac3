using System.Diagnostics;
using Microsoft.Extensions.Options;
using QueueInference.Cli.LoadTesting;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// Times the seed's full-cost transformation on one core. Warm-up rounds let tiered JIT reach optimized code first (the
/// worker's cost once warm is what a drain of thousands of messages sees); then every round is timed. The CPU time per
/// message across all rounds is the cost a ceiling uses, as a drain's CPU per message is a mean over the drain: on this
/// shared machine the same loop's CPU time per message flips between about 280 and 480 µs for seconds at a time, so the
/// fastest round is the machine's best moment, not the loop's cost. The fastest and median rounds are kept for the report.
/// </summary>
public static class TransformationCost
{
    public static TransformationCostRow Measure(int rounds = 30, int messagesPerRound = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(messagesPerRound, 1);
        var transformation = new SeedTransformation(Options.Create(new TransformationOptions { Mode = TransformationMode.SeedCost }));
        var random = new Random(42);
        double[][] inputs = [.. Enumerable.Range(0, messagesPerRound).Select(_ => SeedRequest.RandomData(random))];
        var perMessage = new double[rounds];
        TimeSpan cpu = TimeSpan.Zero;
        TimeSpan wall = TimeSpan.Zero;
        double sink = 0;
        for (int round = -10; round < rounds; round++)
        {
            TimeSpan cpuBefore = ThreadCpuTime.Now();
            long started = Stopwatch.GetTimestamp();
            foreach (double[] input in inputs)
            {
                sink += transformation.Compute(input);
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            if (round >= 0)
            {
                cpu += ThreadCpuTime.Now() - cpuBefore;
                wall += elapsed;
                perMessage[round] = elapsed.TotalSeconds / messagesPerRound;
            }
        }

        // Keeps the loop's result observable so the JIT cannot drop the work.
        GC.KeepAlive(sink);
        Array.Sort(perMessage);
        double messages = (double)rounds * messagesPerRound;
        return new TransformationCostRow(perMessage[0], perMessage[rounds / 2], cpu.TotalSeconds / messages, cpu / wall);
    }
}

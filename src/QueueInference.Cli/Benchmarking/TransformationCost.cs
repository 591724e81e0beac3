using System.Diagnostics;
using Microsoft.Extensions.Options;
using QueueInference.Cli.LoadTesting;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// Measures the seed's full-cost transformation on one core: the CPU limit of a 1-CPU pod is
/// 1 ÷ this cost. A warm-up round lets tiered JIT reach optimized code first (the worker's cost
/// once warm is what a drain of thousands of messages sees); then the fastest of several rounds is
/// taken, since a shared machine only ever adds time.
/// </summary>
public static class TransformationCost
{
    public static double MeasureSecondsPerMessage(int rounds = 30, int messagesPerRound = 100)
    {
        var transformation = new SeedTransformation(Options.Create(new TransformationOptions { Mode = TransformationMode.SeedCost }));
        var random = new Random(42);
        double[][] inputs = [.. Enumerable.Range(0, messagesPerRound).Select(_ => SeedRequest.RandomData(random))];
        double best = double.MaxValue;
        double sink = 0;
        for (int round = -10; round < rounds; round++)
        {
            long started = Stopwatch.GetTimestamp();
            foreach (double[] input in inputs)
            {
                sink += transformation.Compute(input);
            }

            if (round >= 0)
            {
                best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalSeconds / messagesPerRound);
            }
        }

        // Keeps the loop's result observable so the JIT cannot drop the work.
        GC.KeepAlive(sink);
        return best;
    }
}

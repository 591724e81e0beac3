using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime.Tensors;
using QueueInference.Pipeline.Inference;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// Times a model's inference per item by batch size, with ONNX Runtime alone on one intra-op thread
/// (sequential execution: one core), through the worker's own <see cref="OnnxInferenceEngine"/>, so the
/// session settings and buffer handling are the ones a pod runs. Inputs are random (a fixed seed):
/// floats in [0, 1), integers in [0, 10), bools; symbolic dimensions other than the batch one get
/// <c>symbolicLength</c>. Rounds repeat runs for about <c>roundTime</c>. The CPU time per item across every round is
/// the cost a ceiling uses, as in <see cref="TransformationCost"/>; the fastest and median rounds and the CPU share say
/// how noisy the machine was.
/// </summary>
public static class ModelCost
{
    public static IReadOnlyList<ModelCostRow> Measure(string modelPath, IReadOnlyList<int> batchSizes, int rounds = 15, TimeSpan? roundTime = null, int symbolicLength = 16)
    {
        ArgumentNullException.ThrowIfNull(batchSizes);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        TimeSpan perRound = roundTime ?? TimeSpan.FromMilliseconds(100);
        using var engine = new OnnxInferenceEngine(
            Options.Create(new InferenceOptions { ModelPath = modelPath, IntraOpThreads = 1, PoolSize = 1, MaxBatchSize = Math.Max(1, batchSizes.DefaultIfEmpty(1).Max()) }),
            NullLogger<OnnxInferenceEngine>.Instance);
        if (!engine.Signature.HasBatchDimension && batchSizes.Any(b => b > 1))
        {
            throw new ArgumentException($"Model '{modelPath}' has no batch dimension: only batch size 1 can be timed.", nameof(batchSizes));
        }

        var random = new Random(42);
        var rows = new List<ModelCostRow>();
        foreach (int batchSize in batchSizes)
        {
            ModelInputs[] inputs = [.. Enumerable.Range(0, batchSize).Select(_ => RandomItem(engine, random, symbolicLength))];
            ModelOutputs[] outputs = [.. Enumerable.Range(0, batchSize).Select(_ => engine.CreateOutputs())];
            rows.Add(Time(engine, inputs, outputs, rounds, perRound));
        }

        return rows;
    }

    private static ModelCostRow Time(OnnxInferenceEngine engine, ModelInputs[] inputs, ModelOutputs[] outputs, int rounds, TimeSpan perRound)
    {
        // Warm-up: lets ONNX Runtime size its buffers for this batch and settles the clock speed; it also sizes the rounds.
        int warmRuns = 0;
        long warmStarted = Stopwatch.GetTimestamp();
        while (warmRuns < 3 || Stopwatch.GetElapsedTime(warmStarted) < perRound)
        {
            engine.Run(inputs, outputs);
            warmRuns++;
        }

        int runsPerRound = Math.Max(1, (int)(perRound / (Stopwatch.GetElapsedTime(warmStarted) / warmRuns)));
        var perItem = new double[rounds];
        TimeSpan wall = TimeSpan.Zero;
        TimeSpan cpu = TimeSpan.Zero;
        for (int round = 0; round < rounds; round++)
        {
            TimeSpan cpuBefore = ThreadCpuTime.Now();
            long started = Stopwatch.GetTimestamp();
            for (int run = 0; run < runsPerRound; run++)
            {
                engine.Run(inputs, outputs);
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            cpu += ThreadCpuTime.Now() - cpuBefore;
            wall += elapsed;
            perItem[round] = elapsed.TotalSeconds / ((double)runsPerRound * inputs.Length);
        }

        Array.Sort(perItem);
        double items = (double)rounds * runsPerRound * inputs.Length;
        return new ModelCostRow(inputs.Length, perItem[0], perItem[rounds / 2], cpu.TotalSeconds / items, cpu / wall, rounds * runsPerRound);
    }

    private static ModelInputs RandomItem(OnnxInferenceEngine engine, Random random, int symbolicLength)
    {
        ModelInputs item = engine.CreateInputs();
        foreach (string dimension in engine.Signature.SymbolicDimensions)
        {
            item.SetDimension(dimension, symbolicLength);
        }

        for (int i = 0; i < engine.Signature.Inputs.Count; i++)
        {
            switch (engine.Signature.Inputs[i].ElementType)
            {
                case TensorElementType.Float: Fill(item.Get<float>(i), () => (float)random.NextDouble()); break;
                case TensorElementType.Double: Fill(item.Get<double>(i), random.NextDouble); break;
                case TensorElementType.Int64: Fill(item.Get<long>(i), () => random.Next(10)); break;
                case TensorElementType.Int32: Fill(item.Get<int>(i), () => random.Next(10)); break;
                case TensorElementType.Bool: Fill(item.Get<bool>(i), () => random.Next(2) == 1); break;
                default: throw new NotSupportedException($"Input element type {engine.Signature.Inputs[i].ElementType}.");
            }
        }

        return item;
    }

    private static void Fill<T>(Span<T> values, Func<T> next)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = next();
        }
    }
}

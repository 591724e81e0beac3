using System.ComponentModel.DataAnnotations;

namespace QueueInference.Pipeline.Inference;

/// <summary>The ONNX model, its session and how requests are batched into it (section <c>Inference</c>).</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>Path of the .onnx file; a relative path is resolved against the app's directory.</summary>
    [Required]
    public string ModelPath { get; set; } = "models/model.onnx";

    /// <summary>
    /// Outputs that go into the reply's <c>model_output</c>, comma-separated; empty means every output of
    /// the model, in the model's order. One output is written as nested lists (the seed's form), several
    /// as an object keyed by output name.
    /// </summary>
    public string? ReplyOutputs { get; set; }

    /// <summary>
    /// Most requests one ONNX Runtime run takes over the model's batch dimension; 1 turns batching off.
    /// Models without a batch dimension run one request at a time whatever this says.
    /// </summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>
    /// How long a compute thread that has fewer than <see cref="MaxBatchSize"/> requests waits for more
    /// before running them; zero runs what is waiting at once.
    /// </summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>ONNX Runtime intra-op threads; 0 means the CPUs this process may use (1 on a 1-CPU pod).</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <summary>Most idle per-run buffer sets kept for reuse; 0 means 4 per CPU.</summary>
    [Range(0, 4096)]
    public int PoolSize { get; set; }

    /// <summary>Where <see cref="ModelPath"/> points: a relative path is taken from the app's directory.</summary>
    internal string FullModelPath => Path.GetFullPath(ModelPath, AppContext.BaseDirectory);

    /// <summary>The names in <see cref="ReplyOutputs"/>, in order.</summary>
    internal string[] ReplyOutputNames =>
        (ReplyOutputs ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

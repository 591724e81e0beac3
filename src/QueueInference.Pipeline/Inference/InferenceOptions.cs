using System.ComponentModel.DataAnnotations;

namespace QueueInference.Pipeline.Inference;

/// <summary>The ONNX model and its session (section <c>Inference</c>).</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>Path of the .onnx file; a relative path is resolved against the app's directory.</summary>
    [Required]
    public string ModelPath { get; set; } = "models/model.onnx";

    /// <summary>Input to feed; empty means the model's only input.</summary>
    public string? InputName { get; set; }

    /// <summary>Output to reply with; empty means the model's only output.</summary>
    public string? OutputName { get; set; }

    /// <summary>ONNX Runtime intra-op threads; 0 means the CPUs this process may use (1 on a 1-CPU pod).</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <summary>Most idle per-call buffer sets kept for reuse; 0 means 4 per CPU.</summary>
    [Range(0, 4096)]
    public int PoolSize { get; set; }
}

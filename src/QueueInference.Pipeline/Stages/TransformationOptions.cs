using System.ComponentModel.DataAnnotations;

namespace QueueInference.Pipeline.Stages;

/// <summary>The built-in transformation (section <c>Transformation</c>).</summary>
public sealed class TransformationOptions
{
    public const string SectionName = "Transformation";

    /// <summary>How many times the seed adds <c>factor * 0.1</c> (modes Fast and SeedCost).</summary>
    [Range(0, int.MaxValue)]
    public int Iterations { get; set; } = 100_000;

    public TransformationMode Mode { get; set; } = TransformationMode.Fast;
}

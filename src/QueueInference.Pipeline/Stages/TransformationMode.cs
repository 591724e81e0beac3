namespace QueueInference.Pipeline.Stages;

/// <summary>How <see cref="SeedTransformation"/> computes its (always identical) result.</summary>
public enum TransformationMode
{
    /// <summary>Bit-identical result in a few dozen floating-point steps.</summary>
    Fast,

    /// <summary>The seed's full loop, recomputing the factor every iteration: for benchmarking the CPU-bound regime.</summary>
    SeedCost,
}

namespace QueueInference.Pipeline.Stages;

/// <summary>Which built-in transformation runs (section <c>Transformation</c>, setting <c>Mode</c>).</summary>
public enum TransformationMode
{
    /// <summary>The seed's transformation, its bit-identical result in a few dozen floating-point steps.</summary>
    Fast,

    /// <summary>The seed's transformation as its full loop, recomputing the factor every iteration: for benchmarking the CPU-bound regime.</summary>
    SeedCost,

    /// <summary>
    /// <see cref="FeaturesTransformation"/>: the request's values are the model's float32 features, so a model with one
    /// feature vector per item (an MLP) runs from configuration alone.
    /// </summary>
    Features,
}

namespace QueueInference.Pipeline.Stages;

/// <summary>
/// The CPU step between the I/O step and inference. Replace the seed's transformation by
/// registering your own implementation after <c>AddInferencePipeline</c>.
/// </summary>
public interface ITransformation
{
    /// <summary>
    /// Transforms <paramref name="data"/>, fills <paramref name="modelInput"/> (one item of the
    /// model's input, sized from the model's metadata) and returns the value reported as
    /// <c>processed_data</c>.
    /// </summary>
    double Transform(ReadOnlySpan<double> data, Span<float> modelInput);
}

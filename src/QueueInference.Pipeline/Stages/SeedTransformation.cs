using Microsoft.Extensions.Options;

namespace QueueInference.Pipeline.Stages;

/// <summary>
/// The seed's transformation: <c>factor = sqrt(sum(x * x))</c>, then <c>acc += factor * 0.1</c>
/// repeated <see cref="TransformationOptions.Iterations"/> times in IEEE double, in order.
/// The model input is <c>float32(acc)</c> in every element of the item.
/// </summary>
public sealed class SeedTransformation(IOptions<TransformationOptions> options) : ITransformation
{
    private readonly TransformationOptions _options = options.Value;

    public double Transform(ReadOnlySpan<double> data, Span<float> modelInput)
    {
        double value = _options.Mode == TransformationMode.SeedCost
            ? SeedCostLoop(data, _options.Iterations)
            : RepeatedAddition.Sum(Factor(data) * 0.1, _options.Iterations);
        modelInput.Fill((float)value);
        return value;
    }

    internal static double Factor(ReadOnlySpan<double> data)
    {
        double sum = 0.0;
        foreach (double x in data)
        {
            sum += x * x;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>The seed's loop as written: the factor is recomputed on every iteration.</summary>
    internal static double SeedCostLoop(ReadOnlySpan<double> data, int iterations)
    {
        double acc = 0.0;
        for (int i = 0; i < iterations; i++)
        {
            acc += Factor(data) * 0.1;
        }

        return acc;
    }
}

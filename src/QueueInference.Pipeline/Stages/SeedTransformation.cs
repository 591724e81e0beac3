using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;

namespace QueueInference.Pipeline.Stages;

/// <summary>
/// The seed's transformation: <c>factor = sqrt(sum(x * x))</c>, then <c>acc += factor * 0.1</c>
/// repeated <see cref="TransformationOptions.Iterations"/> times in IEEE double, in order.
/// The model input is <c>float32(acc)</c> in every element of the item, so it fills any model with
/// one float32 input of fixed size per item (the seed's [1, 1], or an MLP's 64 features).
/// </summary>
public sealed class SeedTransformation(IOptions<TransformationOptions> options) : ITransformation
{
    private readonly TransformationOptions _options = options.Value;

    public void Validate(ModelSignature model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.HasOneFixedFloatInput)
        {
            throw new InvalidOperationException(
                $"The seed transformation fills one float32 input of fixed size per item; the model has {string.Join(", ", model.Inputs)}. Register an ITransformation for this model.");
        }
    }

    public double Transform(InferenceRequest request, ModelInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inputs);
        double value = Compute(request.Data);
        inputs.Get<float>(0).Fill((float)value);
        return value;
    }

    /// <summary>The <c>processed_data</c> value of <paramref name="data"/>.</summary>
    public double Compute(ReadOnlySpan<double> data) =>
        _options.Mode == TransformationMode.SeedCost
            ? SeedCostLoop(data, _options.Iterations)
            : RepeatedAddition.Sum(Factor(data) * 0.1, _options.Iterations);

    // Inlined into the seed's loop even in ReadyToRun code: the precompiled loop the pod starts with (and keeps until
    // tiering replaces it) otherwise made 100 000 calls through an indirection stub per request, 1.5x the loop's cost.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;

namespace QueueInference.Pipeline.Stages;

/// <summary>
/// <c>Transformation:Mode=Features</c>: the request's <c>data</c> are the model's features. For a model with one
/// float32 input of fixed size N per item (the generated MLPs' [batch, 64]), the item's input is the first N values
/// of <c>data</c>, each rounded to float32, then zeros when <c>data</c> has fewer than N; values beyond the N-th are
/// ignored. <c>processed_data</c> is the number of values used, min(N, values sent), so a client sees whether its
/// data was cut or padded. A value beyond float32's range (about ±3.4e38) fails that request alone, since it would
/// reach the model as an infinity.
/// </summary>
public sealed class FeaturesTransformation : ITransformation
{
    public void Validate(ModelSignature model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.HasOneFixedFloatInput)
        {
            throw new InvalidOperationException(
                $"Transformation:Mode=Features fills one float32 input of fixed size per item (features); the model has {string.Join(", ", model.Inputs)}. Register an ITransformation for this model.");
        }
    }

    public double Transform(InferenceRequest request, ModelInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inputs);
        ReadOnlySpan<double> data = request.Data;
        Span<float> features = inputs.Get<float>(0);
        int used = Math.Min(features.Length, data.Length);
        for (int i = 0; i < used; i++)
        {
            float feature = (float)data[i];
            features[i] = float.IsFinite(feature)
                ? feature
                : throw new ArgumentOutOfRangeException(nameof(request), data[i], $"data[{i}] is beyond float32's range: the model's features are float32.");
        }

        // The rest of the buffer is zeros already: ModelInputs hands it out zeroed for each item.
        return used;
    }
}

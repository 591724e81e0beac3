using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline.Tests.Examples;

/// <summary>
/// The README's text-style example, for models/make_model.py's text-classifier: the request's
/// <c>data</c> carries token ids (a tokenizer upstream produced them), the model takes int64
/// <c>input_ids</c> and <c>attention_mask</c> of shape [batch, sequence]. Each request sets its own
/// sequence length; a batch is padded with zeros (mask 0) to its longest request.
/// </summary>
public sealed class TokenIdsTransformation : ITransformation
{
    /// <summary>Longer requests are cut to this many tokens.</summary>
    public const int MaxTokens = 128;

    public void Validate(ModelSignature model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.IndexOfInput("input_ids") < 0 || model.IndexOfInput("attention_mask") < 0 || !model.SymbolicDimensions.Contains("sequence"))
        {
            throw new InvalidOperationException($"TokenIdsTransformation fills int64 input_ids and attention_mask [batch, sequence]; the model has {string.Join(", ", model.Inputs)}.");
        }
    }

    public double Transform(InferenceRequest request, ModelInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inputs);
        ReadOnlySpan<double> data = request.Data;
        int tokens = Math.Min(data.Length, MaxTokens);
        inputs.SetDimension("sequence", tokens);
        Span<long> ids = inputs.Get<long>("input_ids");
        Span<long> mask = inputs.Get<long>("attention_mask");
        for (int i = 0; i < tokens; i++)
        {
            // An id outside the model's vocabulary fails the model's run: the batch then runs one by
            // one, so this request alone fails (and is retried, then dead-lettered).
            ids[i] = (long)data[i];
            mask[i] = 1;
        }

        return tokens; // processed_data: how many tokens the model saw
    }
}

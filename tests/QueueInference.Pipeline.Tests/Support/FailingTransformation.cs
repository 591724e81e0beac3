using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline.Tests.Support;

/// <summary>Throws for requests whose first value is negative; otherwise the inner transformation.</summary>
internal sealed class FailingTransformation(ITransformation inner) : ITransformation
{
    public double Transform(InferenceRequest request, ModelInputs inputs) =>
        request.Data.Length > 0 && request.Data[0] < 0
            ? throw new ArgumentException("negative first value")
            : inner.Transform(request, inputs);
}

using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;

namespace QueueInference.Pipeline.Stages;

/// <summary>
/// The CPU step between the I/O step and inference: turns one request into one item of the model's
/// inputs. Replace the seed's transformation by registering your own implementation after
/// <c>AddInferencePipeline</c>. It runs on a compute thread, one request at a time per thread; the
/// requests a thread takes together then share one inference run.
/// </summary>
public interface ITransformation
{
    /// <summary>
    /// Called once at start with the model's signature. Throw (an <see cref="InvalidOperationException"/>
    /// saying why) when this transformation cannot fill that model's inputs: the host then stops before
    /// consuming instead of failing every request.
    /// </summary>
    void Validate(ModelSignature model)
    {
    }

    /// <summary>
    /// Transforms <paramref name="request"/>, fills <paramref name="inputs"/> (one item of the model's
    /// inputs: <c>inputs.Get&lt;float&gt;("name")</c> and so on, typed and sized from the model's metadata)
    /// and returns the value reported as <c>processed_data</c>. An exception fails this request alone
    /// (it is retried, then dead-lettered).
    /// </summary>
    double Transform(InferenceRequest request, ModelInputs inputs);
}

using Microsoft.Extensions.Hosting;

namespace QueueInference.Pipeline.Inference;

/// <summary>
/// Creates the inference session and runs it once at start-up, so the first request does not
/// pay for it and a bad model fails the start instead of every message.
/// </summary>
internal sealed class ModelLoader(OnnxInferenceEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Span<float> input = stackalloc float[engine.Signature.InputLength];
        Span<float> output = stackalloc float[engine.Signature.OutputLength];
        engine.Run(input, output);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

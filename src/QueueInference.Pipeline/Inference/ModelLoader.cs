using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline.Inference;

/// <summary>
/// Creates the inference session and runs it at start-up, so the first request does not pay for it
/// and a bad model, or a transformation that cannot fill it, fails the start instead of every
/// message. The engine is resolved here, on a pool thread, rather than by the services that use it,
/// so the load runs alongside the other hosted services when the host starts them together.
/// </summary>
internal sealed class ModelLoader(IServiceProvider services, ModelReadiness readiness) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.Run(
        () =>
        {
            try
            {
                OnnxInferenceEngine engine = services.GetRequiredService<OnnxInferenceEngine>();
                services.GetRequiredService<ITransformation>().Validate(engine.Signature);
                engine.WarmUp();
                readiness.SetLoaded();
            }
            catch (Exception ex)
            {
                readiness.SetFailed(ex);
                throw;
            }
        },
        cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

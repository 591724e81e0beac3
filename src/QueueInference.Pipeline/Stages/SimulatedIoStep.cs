using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;

namespace QueueInference.Pipeline.Stages;

/// <summary>
/// The seed's I/O step: a wait of <see cref="IoStepOptions.Delay"/> plus optional jitter, on a
/// timer rather than a thread, because the real one "may not be constant".
/// </summary>
public sealed class SimulatedIoStep(IOptions<IoStepOptions> options, TimeProvider timeProvider) : IIoStep
{
    private readonly IoStepOptions _options = options.Value;

    public ValueTask ExecuteAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        TimeSpan delay = _options.Delay + NextJitter();
        if (_options.FailureRate > 0)
        {
            return FailAfterAsync(delay, cancellationToken);
        }

        return delay <= TimeSpan.Zero
            ? ValueTask.CompletedTask
            : new ValueTask(Task.Delay(delay, timeProvider, cancellationToken));
    }

    private async ValueTask FailAfterAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
        }

        if (Random.Shared.NextDouble() < _options.FailureRate)
        {
            throw new IOException($"Simulated I/O failure (IoStep:FailureRate = {_options.FailureRate}).");
        }
    }

    internal TimeSpan NextJitter() => _options.Distribution switch
    {
        JitterDistribution.None => TimeSpan.Zero,
        JitterDistribution.Uniform => _options.Jitter * Random.Shared.NextDouble(),
        JitterDistribution.Exponential => _options.Jitter * -Math.Log(1.0 - Random.Shared.NextDouble()),
        _ => throw new InvalidOperationException($"Unknown jitter distribution {_options.Distribution}."),
    };
}

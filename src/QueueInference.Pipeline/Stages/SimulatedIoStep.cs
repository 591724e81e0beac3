using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;

namespace QueueInference.Pipeline.Stages;

/// <summary>
/// The seed's I/O step: a wait of <see cref="IoStepOptions.Delay"/> plus optional jitter, on a
/// timer rather than a thread, because the real one "may not be constant". The wait is measured on
/// <see cref="TimeProvider.GetUtcNow"/>, the clock of the reply's timestamps, so that a reply never
/// shows less processing time than the delay (as the seed's <c>time.sleep</c> never did). Every
/// request's wait shares one timer (<see cref="SharedDelayTimer"/>).
/// </summary>
public sealed class SimulatedIoStep(IOptions<IoStepOptions> options, TimeProvider timeProvider) : IIoStep, IDisposable
{
    private readonly IoStepOptions _options = options.Value;
    private readonly SharedDelayTimer _timer = new(timeProvider);

    public ValueTask ExecuteAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        TimeSpan delay = _options.Delay + NextJitter();
        if (_options.FailureRate > 0)
        {
            return FailAfterAsync(delay, cancellationToken);
        }

        return delay <= TimeSpan.Zero
            ? ValueTask.CompletedTask
            : _timer.WaitAsync(delay, cancellationToken);
    }

    public void Dispose() => _timer.Dispose();

    private async ValueTask FailAfterAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay > TimeSpan.Zero)
        {
            await _timer.WaitAsync(delay, cancellationToken);
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

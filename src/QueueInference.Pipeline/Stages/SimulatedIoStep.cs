using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;

namespace QueueInference.Pipeline.Stages;

/// <summary>
/// The seed's I/O step: a wait of <see cref="IoStepOptions.Delay"/> plus optional jitter, on a
/// timer rather than a thread, because the real one "may not be constant". The wait is measured on
/// <see cref="TimeProvider.GetUtcNow"/>, the clock of the reply's timestamps, so that a reply never
/// shows less processing time than the delay (as the seed's <c>time.sleep</c> never did).
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
            : WaitAsync(delay, cancellationToken);
    }

    /// <summary>
    /// Waits until <paramref name="delay"/> has passed on the wall clock. A timer can fire a little before
    /// its due time as that clock sees it (timers run on the tick count, replies are stamped with the
    /// time of day; 2996.7 ms were seen for 3 s), so any shortfall is waited out again.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        DateTimeOffset due = timeProvider.GetUtcNow() + delay;
        TimeSpan remaining = delay;
        do
        {
            await Task.Delay(remaining, timeProvider, cancellationToken);
            // Whole milliseconds: timers have no finer resolution, and a shorter wait would spin.
            remaining = TimeSpan.FromMilliseconds(Math.Ceiling((due - timeProvider.GetUtcNow()).TotalMilliseconds));
        }
        while (remaining > TimeSpan.Zero && remaining <= delay + TimeSpan.FromMilliseconds(1));
    }

    private async ValueTask FailAfterAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay > TimeSpan.Zero)
        {
            await WaitAsync(delay, cancellationToken);
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

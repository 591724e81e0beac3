using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline.Tests.Stages;

public sealed class SimulatedIoStepTests
{
    [Theory]
    [InlineData(JitterDistribution.None)]
    [InlineData(JitterDistribution.Uniform)]
    [InlineData(JitterDistribution.Exponential)]
    public void NextJitter_Distribution_StaysInItsRange(JitterDistribution distribution)
    {
        // Arrange
        var step = new SimulatedIoStep(Options.Create(new IoStepOptions { Jitter = TimeSpan.FromSeconds(1), Distribution = distribution }), TimeProvider.System);

        // Act
        TimeSpan[] draws = [.. Enumerable.Range(0, 20_000).Select(_ => step.NextJitter())];

        // Assert
        double mean = draws.Average(d => d.TotalSeconds);
        Assert.All(draws, d => Assert.True(d >= TimeSpan.Zero));
        switch (distribution)
        {
            case JitterDistribution.None:
                Assert.All(draws, d => Assert.Equal(TimeSpan.Zero, d));
                break;
            case JitterDistribution.Uniform:
                Assert.All(draws, d => Assert.True(d < TimeSpan.FromSeconds(1)));
                Assert.InRange(mean, 0.45, 0.55);
                break;
            case JitterDistribution.Exponential:
                Assert.InRange(mean, 0.9, 1.1);
                Assert.Contains(draws, d => d > TimeSpan.FromSeconds(3));
                break;
        }
    }

    [Fact]
    public async Task ExecuteAsync_TimerFiresEarly_NeverEndsBeforeTheDelayOnTheReplyClock()
    {
        // Arrange
        var clock = new EarlyTimers();
        TimeSpan delay = TimeSpan.FromMilliseconds(200);
        using var step = new SimulatedIoStep(Options.Create(new IoStepOptions { Delay = delay }), clock);
        using var request = new InferenceRequest(ReadOnlyMemory<byte>.Empty, default, default, [], 0, null);

        // Act
        DateTimeOffset start = clock.GetUtcNow();
        await step.ExecuteAsync(request, CancellationToken.None);
        TimeSpan waited = clock.GetUtcNow() - start;

        // Assert
        Assert.True(clock.TimesArmed > 1, "the early timer was not waited out again");
        Assert.True(waited >= delay, $"waited {waited.TotalMilliseconds} ms of {delay.TotalMilliseconds} ms");
    }

    /// <summary>
    /// A timer that fires on time by the timestamp clock timers run on, when the time of day has moved on by only
    /// 80 % of its due time: a timer that fires early as the reply's clock sees it, without real waiting.
    /// </summary>
    private sealed class EarlyTimers : TimeProvider
    {
        private readonly Lock _lock = new();
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private long _timestamp;
        private int _timesArmed;

        public int TimesArmed => _timesArmed;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow()
        {
            lock (_lock)
            {
                return _now;
            }
        }

        public override long GetTimestamp()
        {
            lock (_lock)
            {
                return _timestamp;
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new EarlyTimer(this, callback, state);

        private void Elapse(TimeSpan dueTime)
        {
            Interlocked.Increment(ref _timesArmed);
            lock (_lock)
            {
                _timestamp += dueTime.Ticks;
                _now += dueTime * 0.8;
            }
        }

        private sealed class EarlyTimer(EarlyTimers clock, TimerCallback callback, object? state) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    clock.Elapse(dueTime);
                    ThreadPool.QueueUserWorkItem(_ => callback(state));
                }

                return true;
            }

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}

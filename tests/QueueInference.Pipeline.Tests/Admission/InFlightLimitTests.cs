using Microsoft.Extensions.Time.Testing;
using QueueInference.Pipeline.Admission;
using QueueInference.Pipeline.Processing;

namespace QueueInference.Pipeline.Tests.Admission;

public sealed class InFlightLimitTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ComputeLaneLoad _load;

    public InFlightLimitTests() => _load = new ComputeLaneLoad(_time);

    /// <summary>A limit that starts at <paramref name="initial"/> (<paramref name="maxInFlight"/> unless given). The tests hold the whole limit unless they say otherwise.</summary>
    private InFlightLimit Limit(int maxInFlight = 20_000, int? initial = null) => new(maxInFlight, TimeSpan.FromMilliseconds(250), _load, initial ?? maxInFlight);

    /// <summary>A tenth of a second in which nothing reaches the lane: every request held is in its I/O step.</summary>
    private void TenthInTheIoStep() => _time.Advance(TimeSpan.FromMilliseconds(100));

    /// <summary>
    /// One second of a lane finishing <paramref name="completed"/> requests that waited <paramref name="wait"/> after a 3 s
    /// I/O step, its thread running batches for <paramref name="busyMs"/> ms of it (all of it by default).
    /// </summary>
    private void Second(int completed, TimeSpan wait, int busyMs = 1000) => Window(TimeSpan.FromSeconds(1), completed, wait, TimeSpan.FromMilliseconds(busyMs));

    /// <summary>
    /// <paramref name="length"/> of a lane finishing <paramref name="completed"/> requests that waited <paramref name="wait"/>
    /// after <paramref name="before"/> (3 s by default), busy for <paramref name="busy"/> (all of it by default), with
    /// <paramref name="leftWaiting"/> more requests queued for it and not started when the window ends.
    /// </summary>
    private void Window(TimeSpan length, int completed, TimeSpan wait, TimeSpan? busy = null, int leftWaiting = 0, TimeSpan? before = null)
    {
        for (int i = 0; i < completed + leftWaiting; i++)
        {
            _load.Queued(before ?? TimeSpan.FromSeconds(3));
        }

        _load.Started(wait * completed, completed);
        _load.Completed(completed, busy ?? length);
        _time.Advance(length);
    }

    /// <summary>
    /// The first 0.1 s of a pod started in front of a backlog with no I/O step: the lane ran 300 requests (3000/s) that
    /// waited 20 ms at most, 10 ms after their pick-up, and 2000 more wait behind them.
    /// </summary>
    private void FirstTenthInFrontOfABacklog() =>
        Window(TimeSpan.FromMilliseconds(100), 300, TimeSpan.FromMilliseconds(20), leftWaiting: 2000, before: TimeSpan.FromMilliseconds(10));

    [Fact]
    public void Update_RequestsQueueForTheCpu_LittlesLawAtTheLanesRate()
    {
        // Arrange: 1200 requests a second, each waiting 5 s for the compute lane.
        InFlightLimit limit = Limit();
        Second(1200, TimeSpan.FromSeconds(5));

        // Act
        int updated = limit.Update(held: limit.Limit);

        // Assert: 1200/s x (3 s + 0.25 s)
        Assert.Equal(3900, updated);
    }

    [Fact]
    public void Update_NoWaitForTheCpu_StaysAtMaxInFlight()
    {
        // Arrange: an I/O-bound pod.
        InFlightLimit limit = Limit();
        Second(6000, TimeSpan.FromMilliseconds(2));

        // Act
        int updated = limit.Update(held: limit.Limit);

        // Assert
        Assert.Equal(20_000, updated);
    }

    [Fact]
    public void Update_WaitsFallBelowHalfTheTarget_GrowsAQuarterPerHalfSecondUpToMax()
    {
        // Arrange
        InFlightLimit limit = Limit();
        Second(1000, TimeSpan.FromSeconds(2));
        int lowered = limit.Update(held: limit.Limit);

        // Act
        var steps = new List<int>();
        for (int i = 0; i < 40; i++)
        {
            Window(TimeSpan.FromMilliseconds(500), 500, TimeSpan.FromMilliseconds(10));
            steps.Add(limit.Update(held: limit.Limit));
        }

        // Assert
        Assert.Equal(3250, lowered);
        Assert.Equal(4062, steps[0]);
        Assert.True(steps.SequenceEqual(steps.Order()), "the limit only grows");
        Assert.Equal(20_000, steps[^1]);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(100)]
    public void Update_ShortWaitsForOneSecond_GrowsTheSameWhateverTheCadence(int updateMs)
    {
        // Arrange: lowered to 3250, then updated every updateMs while requests wait 10 ms.
        InFlightLimit limit = Limit();
        Second(1000, TimeSpan.FromSeconds(2));
        limit.Update(held: limit.Limit);
        TimeSpan window = TimeSpan.FromMilliseconds(updateMs);
        int perWindow = (int)(1000 * window.TotalSeconds);

        // Act
        int grown = 0;
        for (int i = 0; i < 1000 / updateMs; i++)
        {
            Window(window, perWindow, TimeSpan.FromMilliseconds(10));
            grown = limit.Update(held: limit.Limit);
        }

        // Assert: 3250 x 1.25 x 1.25 = 5078, within the rounding of each step.
        Assert.InRange(grown, 5070, 5090);
    }

    [Fact]
    public void Update_RequestsPileUpBeforeAnyWaitedLong_LimitsFromTheQueueAtOnce()
    {
        // Arrange: no request has waited long yet, but at 3000/s the newest of the 2000 behind them waits about 0.67 s.
        InFlightLimit limit = Limit();
        FirstTenthInFrontOfABacklog();

        // Act
        int updated = limit.Update(held: limit.Limit);

        // Assert: 3000/s x (0.01 s + 0.25 s)
        Assert.Equal(780, updated);
    }

    [Theory]
    [InlineData(true, 780)]
    [InlineData(false, 20_000)]
    public void Update_ConsumersStartAfterAnIdleSecond_OnlyAWindowStartedWithThemSeesTheSaturatedLane(bool startWindow, int expected)
    {
        // Arrange: the process waited a second for its connection, its lane idle.
        InFlightLimit limit = Limit();
        _time.Advance(TimeSpan.FromSeconds(1));
        if (startWindow)
        {
            limit.StartWindow();
        }

        FirstTenthInFrontOfABacklog();

        // Act
        int updated = limit.Update(held: limit.Limit);

        // Assert: counted with the idle second the lane was busy 9 % of the time, and its waits did not count.
        Assert.Equal(expected, updated);
    }

    [Fact]
    public void Update_AFewWaitingWithinHalfTheTarget_StillGrows()
    {
        // Arrange: lowered, then 100 requests waiting at 1000/s: 0.1 s ahead of the newest, under half the target.
        InFlightLimit limit = Limit();
        Second(1000, TimeSpan.FromSeconds(2));
        int lowered = limit.Update(held: limit.Limit);

        // Act
        Window(TimeSpan.FromMilliseconds(500), 500, TimeSpan.FromMilliseconds(10), leftWaiting: 100);
        int after = limit.Update(held: limit.Limit);

        // Assert
        Assert.Equal(3250, lowered);
        Assert.Equal(4062, after);
    }

    [Fact]
    public void Update_WaitWithinTheBand_Unchanged()
    {
        // Arrange
        InFlightLimit limit = Limit();
        Second(1000, TimeSpan.FromSeconds(2));
        int lowered = limit.Update(held: limit.Limit);

        // Act
        Second(1000, TimeSpan.FromMilliseconds(200));
        int after = limit.Update(held: limit.Limit);

        // Assert
        Assert.Equal(lowered, after);
    }

    [Fact]
    public void Update_NothingFinishedWhileRequestsWait_KeepsTheLimit()
    {
        // Arrange: lowered, then a second in which 500 requests queued for the lane and it finished none (a long batch).
        InFlightLimit limit = Limit();
        Second(1000, TimeSpan.FromSeconds(2));
        int lowered = limit.Update(held: limit.Limit);
        Window(TimeSpan.FromSeconds(1), 0, TimeSpan.Zero, busy: TimeSpan.Zero, leftWaiting: 500);

        // Act
        int after = limit.Update(held: limit.Limit);

        // Assert
        Assert.Equal(lowered, after);
    }

    [Fact]
    public void Update_OneSlowMoment_CapacityIsTheBestRecentRate()
    {
        // Arrange: the lane finished 1200 a second, then the CPU went elsewhere for a moment.
        InFlightLimit limit = Limit();
        Second(1200, TimeSpan.FromSeconds(5));
        limit.Update(held: limit.Limit);

        // Act
        Second(50, TimeSpan.FromSeconds(6));
        int afterSlowMoment = limit.Update(held: limit.Limit);

        // Assert: still 1200/s x 3.25 s
        Assert.Equal(3900, afterSlowMoment);
    }

    [Fact]
    public void Update_NothingNewReachedTheLane_KeepsTheTimeBeforeIt()
    {
        // Arrange: the lane works through what queued earlier; nothing new arrives in this update.
        InFlightLimit limit = Limit();
        Second(1200, TimeSpan.FromSeconds(5));
        limit.Update(held: limit.Limit);
        _load.Started(TimeSpan.FromSeconds(5) * 1200, 1200);
        _load.Completed(1200, TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        // Act
        int updated = limit.Update(held: limit.Limit);

        // Assert: still 1200/s x (3 s + 0.25 s), not 1200/s x 0.25 s
        Assert.Equal(3900, updated);
    }

    [Fact]
    public void Update_TinyRate_NeverBelowTheFloor()
    {
        // Arrange
        InFlightLimit limit = Limit();
        Second(2, TimeSpan.FromSeconds(30));

        // Act
        int updated = limit.Update(held: limit.Limit);

        // Assert
        Assert.Equal(InFlightLimit.Floor, updated);
    }

    [Fact]
    public void Update_WaitsWhileTheLaneIsMostlyIdle_KeepsMaxInFlight()
    {
        // Arrange: light load (1400/s, the lane busy 5 % of the time), but requests waited 400 ms for it: the CPU
        // was taken by something else, and the lane's rate is the arrival rate, not the pod's capacity.
        InFlightLimit limit = Limit();
        Second(1400, TimeSpan.FromMilliseconds(400), busyMs: 50);

        // Act
        int updated = limit.Update(held: limit.Limit);

        // Assert
        Assert.Equal(20_000, updated);
    }

    [Fact]
    public void Update_LoweredThenLongWaitsWithTheLaneMostlyIdle_HoldsTheLimit()
    {
        // Arrange
        InFlightLimit limit = Limit();
        Second(1200, TimeSpan.FromSeconds(5));
        int lowered = limit.Update(held: limit.Limit);

        // Act: still some waiting, but the lane ran batches only a tenth of the time.
        Second(1200, TimeSpan.FromMilliseconds(300), busyMs: 100);
        int next = limit.Update(held: limit.Limit);

        // Assert
        Assert.Equal(3900, lowered);
        Assert.Equal(3900, next);
    }

    [Fact]
    public void Update_SlowStartWhileTheLaneHasNoWait_DoublesEveryTenthUpToMax()
    {
        // Arrange: a pod started with a tenth of its most, holding all of it, its requests in their 3 s I/O step.
        InFlightLimit limit = Limit(initial: 2000);

        // Act
        var steps = new List<int>();
        for (int i = 0; i < 4; i++)
        {
            TenthInTheIoStep();
            steps.Add(limit.Update(held: limit.Limit));
        }

        // Assert
        Assert.Equal([4000, 8000, 16_000, 20_000], steps);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    public void Update_LessThanHalfTheLimitHeld_DoesNotGrow(int held)
    {
        // Arrange: light load: the lane keeps up, but the pod holds less than half of what it may.
        InFlightLimit limit = Limit(initial: 2000);
        Window(TimeSpan.FromMilliseconds(100), 30, TimeSpan.FromMilliseconds(1));

        // Act
        int updated = limit.Update(held);

        // Assert
        Assert.Equal(2000, updated);
    }

    [Fact]
    public void Update_BacklogWaitsForALaneThatFinishedNothingYet_HoldsTheStartLimit()
    {
        // Arrange: the first tenth in front of a backlog with no I/O step, on a slow machine: the first batch has not
        // finished, 2000 requests wait for the lane.
        InFlightLimit limit = Limit(initial: 2000);
        Window(TimeSpan.FromMilliseconds(100), 0, TimeSpan.Zero, busy: TimeSpan.Zero, leftWaiting: 2000, before: TimeSpan.FromMilliseconds(10));

        // Act
        int updated = limit.Update(held: 2000);

        // Assert
        Assert.Equal(2000, updated);
    }

    [Fact]
    public void Update_AfterTheFirstCut_GrowsByAQuarterPerHalfSecondInsteadOfDoubling()
    {
        // Arrange: slow start ends when the lane is first found saturated.
        InFlightLimit limit = Limit(initial: 2000);
        Second(1000, TimeSpan.FromSeconds(2));
        int lowered = limit.Update(held: 2000);

        // Act
        TenthInTheIoStep();
        int next = limit.Update(held: limit.Limit);

        // Assert: 3250 x 1.25^(0.1 / 0.5)
        Assert.Equal(3250, lowered);
        Assert.Equal(3398, next);
    }

    [Fact]
    public void Limit_AdaptationOff_IsMaxInFlightFromTheStart()
    {
        // Arrange
        var limit = new InFlightLimit(20_000, TimeSpan.Zero, _load, 2000);

        // Act
        int start = limit.Limit;

        // Assert
        Assert.Equal(20_000, start);
    }
}

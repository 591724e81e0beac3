using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.LoadTesting;

public sealed class PublishScheduleTests
{
    [Fact]
    public void DueSeconds_FixedCount_AllDueAtOnceThenNone()
    {
        var schedule = new PublishSchedule(3, null, null);

        Assert.Equal(0, schedule.DueSeconds(2));
        Assert.Null(schedule.DueSeconds(3));
        Assert.Equal(3, schedule.ExpectedCount);
    }

    [Fact]
    public void DueSeconds_OpenLoop_SpacedByRateUntilDuration()
    {
        var schedule = new PublishSchedule(null, 4, TimeSpan.FromSeconds(2));

        Assert.Equal(0.25, schedule.DueSeconds(1));
        Assert.Equal(1.75, schedule.DueSeconds(7));
        Assert.Null(schedule.DueSeconds(8));
        Assert.Equal(8, schedule.ExpectedCount);
    }
}

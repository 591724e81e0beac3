using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.LoadTesting;

public sealed class LoadSummaryTests
{
    [Fact]
    public void Create_OneReplyOfTwo_UsesTheSeedsDefinitions()
    {
        LoadSummary summary = Summaries.WithOneReplyOfTwo();

        Assert.Equal(2, summary.Sent);
        Assert.Equal(1, summary.Replied);
        Assert.Equal(1, summary.Missing);
        Assert.Equal(1.0, summary.PickUp.P50, 9);
        Assert.Equal(2.5, summary.Processing.P50, 9);
        Assert.Equal(3.5, summary.Total.P50, 9);
        Assert.Equal(3.6, summary.RoundTrip.P50, 9);
        // Total time: last response - first send.
        Assert.Equal(3.5, summary.TotalTimeSeconds, 9);
        Assert.Equal(1 / 3.5, summary.ReplyRatePerSecond, 9);
    }

    [Fact]
    public void BuildTimeline_RepliesInTwoSeconds_BucketsByArrival()
    {
        double[] sends = [10.0, 10.5, 11.2];
        CompletedMessage[] completed =
        [
            new(10.0, 10.1, 10.3, 10.4),
            new(10.5, 10.6, 11.0, 11.1),
            new(11.2, 11.3, 11.6, 11.7),
        ];

        IReadOnlyList<TimelinePoint> timeline = LoadSummary.BuildTimeline(10.0, sends, completed);

        Assert.Equal(2, timeline.Count);
        Assert.Equal((2, 1), (timeline[0].Sent, timeline[0].Replied));
        Assert.Equal((1, 2), (timeline[1].Sent, timeline[1].Replied));
        Assert.Equal(0.5, timeline[1].TotalP99, 9);
    }
}

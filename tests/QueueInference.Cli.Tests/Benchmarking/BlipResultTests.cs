using QueueInference.Cli.Benchmarking;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class BlipResultTests
{
    private const double Started = 1000;

    [Theory]
    [InlineData("      Connection recovered after 3.2 s, to 127.0.0.1:5673; consuming again (12 request(s) of the lost connection still settling)", 3.2)]
    [InlineData("Connection recovered after 12 s, to node", 12.0)]
    [InlineData("Connection recovered after 0,5 s, to node", 0.5)]
    public void ReportedOutageSeconds_WorkersRecoveredLine_ItsSeconds(string line, double expected)
    {
        Assert.Equal(expected, WorkerOutageLog.ReportedOutageSeconds(line)!.Value, 6);
    }

    [Fact]
    public void ReportedOutageSeconds_OtherLine_Null()
    {
        Assert.Null(WorkerOutageLog.ReportedOutageSeconds("Connection lost (connection closed) with 5000 request(s) in flight"));
    }

    [Fact]
    public void InFlightAtLoss_WorkersLostLine_ItsCount()
    {
        const string line = "      Connection lost (channel closed by library: 541 Unable to read data from the transport connection: Connection reset by peer.) with 18221 request(s) in flight: they keep running and settle through the broker's redeliveries; reconnecting";

        Assert.Equal(18221, WorkerOutageLog.InFlightAtLoss(line));
        Assert.Null(WorkerOutageLog.InFlightAtLoss("Connection recovered after 0.1 s, to amqp://127.0.0.1:43089"));
    }

    [Fact]
    public void From_LostLineAfterTheTrigger_ItsCountAndTheSourceOfTheJudgedFigure()
    {
        BlipOutcome outcome = Outcome(triggeredAt: Started + 10, disturbedAt: Started + 12.5) with { InFlightAtBlip = 18221, InFlightSource = "worker log" };
        PodLogLine[] lines =
        [
            new(Started + 2, "Connection lost (earlier) with 7 request(s) in flight"),
            new(Started + 12.6, "Connection lost (reset) with 18221 request(s) in flight: they keep running"),
        ];

        BlipResult result = BlipResult.From("kill", 5000, outcome, Started, 0, 0, lines);

        Assert.Equal(18221, result.WorkerLoggedInFlightAtLoss);
        Assert.Equal(18221, result.InFlightAtBlip);
        Assert.Equal("worker log", result.InFlightAtBlipSource);
    }

    [Fact]
    public void From_RecoveredLinesBeforeAndAfterTheTrigger_TimesTheFirstAfterItFromTheDisturbance()
    {
        BlipOutcome outcome = Outcome(triggeredAt: Started + 10, disturbedAt: Started + 12.5);
        PodLogLine[] lines =
        [
            new(Started + 5, "Connection recovered after 1.0 s, to a"),
            new(Started + 16, "Connection recovered after 3.4 s, to b"),
            new(Started + 30, "Connection recovered after 2.0 s, to c"),
        ];

        BlipResult result = BlipResult.From("kill", 5000, outcome, Started, 1, 3, lines);

        Assert.Equal(3.5, result.WorkerLogRecoveredAfterSeconds!.Value, 6);
        Assert.Equal(3.4, result.WorkerReportedOutageSeconds!.Value, 6);
        Assert.Equal(12.5, result.DisturbedAtSeconds!.Value, 6);
        Assert.Equal("node 2 killed", result.Detail);
        Assert.Equal(4.0, result.WorkerReconnectedAfterSeconds!.Value, 6);
    }

    [Fact]
    public void From_NoRecoveredLine_NotSeen()
    {
        BlipResult result = BlipResult.From("kill", 5000, Outcome(triggeredAt: Started + 10, disturbedAt: Started + 12), Started, 0, 0, []);

        Assert.Null(result.WorkerLogRecoveredAfterSeconds);
        Assert.Null(result.WorkerReportedOutageSeconds);
    }

    [Fact]
    public void From_DisturbanceFailed_NoRecoveryTimed()
    {
        BlipOutcome failed = Outcome(triggeredAt: Started + 10, disturbedAt: null) with { Error = "rabbitmqctl failed" };

        BlipResult result = BlipResult.From("kill", 5000, failed, Started, 0, 0, [new(Started + 20, "Connection recovered after 1.0 s, to a")]);

        Assert.Null(result.WorkerLogRecoveredAfterSeconds);
        Assert.Equal("rabbitmqctl failed", result.Error);
    }

    private static BlipOutcome Outcome(double triggeredAt, double? disturbedAt) =>
        new(true, 5000, 6000, 5000, triggeredAt, triggeredAt + 2.6, triggeredAt + 6.6, 3, null)
        {
            DisturbedAt = disturbedAt,
            Detail = disturbedAt is null ? null : "node 2 killed",
        };
}

using QueueInference.Cli.Benchmarking;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class ScenarioJudgementTests
{
    private static readonly ScenarioResult Echo = Row("echo") with { ThroughputPerSecond = 6000 };

    private static readonly ScenarioResult Seed = Row("seed") with { ThroughputPerSecond = 4000, Sent = 100_000, Replied = 100_000 };

    [Fact]
    public void Judge_LargeWhoseProcessExited_FailsAndSaysSo()
    {
        ScenarioResult large = Row("large") with { Sent = 15_000, Replied = 3, Missing = 14_997, ExitedEarly = true, ExitCode = 134, ExitedAfterSeconds = 5.2 };

        ScenarioResult judged = Judge(large);

        Assert.False(judged.TargetMet);
        Assert.Contains("exited with code 134 5.2 s after start (not restarted); 3 of 15000 replied", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_LargeOomKilledButAllReplied_Fails()
    {
        ScenarioResult large = Row("large") with { Sent = 10, Replied = 10, OomKilled = true };

        Assert.False(Judge(large).TargetMet);
        Assert.StartsWith("OOM-killed", ScenarioJudgement.Outcome(large), StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_LargeDrainedWithDuplicates_Fails()
    {
        ScenarioResult large = Row("large") with { Sent = 15_000, Replied = 15_000, Duplicates = 490 };

        Assert.False(Judge(large).TargetMet);
    }

    [Fact]
    public void Judge_LargeDrainedCleanly_Met()
    {
        ScenarioResult large = Row("large") with { Sent = 15_000, Replied = 15_000, ThroughputPerSecond = 600 };

        ScenarioResult judged = Judge(large);

        Assert.True(judged.TargetMet);
        Assert.Equal(0.1, judged.Ratio!.Value, 6);
        Assert.Equal("drained", judged.Note);
    }

    [Fact]
    public void Judge_LargeWithDeadLetteredRequests_FailsThoughNothingIsLost()
    {
        // Valid requests must be answered: a dead-lettered one is accounted for, not a pass.
        ScenarioResult large = Row("large") with { Sent = 100, Replied = 98, Missing = 2, DeadLettered = 2, Lost = 0 };

        Assert.False(Judge(large).TargetMet);
    }

    [Theory]
    [InlineData(3700, true)]
    [InlineData(3500, false)]
    public void Judge_Mixed_SeedSizeThroughputAgainstNinetyPercentOfTheSeedRow(double seedSizeRate, bool met)
    {
        ScenarioResult mixed = Row("mixed") with
        {
            Sent = 100_000,
            Replied = 100_000,
            BySize = [new SizeResult(5, 95_000, 95_000, 0, 25, seedSizeRate, null), new SizeResult(4096, 5000, 5000, 0, 25, 200, null)],
        };

        ScenarioResult judged = Judge(mixed);

        Assert.Equal(seedSizeRate / 4000, judged.Ratio!.Value, 6);
        Assert.Equal(met, judged.TargetMet);
    }

    [Theory]
    [InlineData(0.041, 0, 0, true)]
    [InlineData(23.2, 0, 0, false)]
    [InlineData(0.041, 3, 0, false)]
    [InlineData(0.041, 0, 2, false)]
    public void Judge_Rising_PickUpP99WithinASecondWithNothingLostOrDoubled(double pickUpP99Seconds, long missing, long duplicates, bool met)
    {
        // Arrange
        ScenarioResult rising = Row("rising") with
        {
            Sent = 120_000,
            Replied = 120_000 - missing,
            Missing = missing,
            Duplicates = duplicates,
            ThroughputPerSecond = 2000,
            OfferedRatePerSecond = 2600,
            PickUp = new QueueInference.Cli.LoadTesting.LatencyDistribution(120_000, 0.001, 0.002, 0.003, 0.01, pickUpP99Seconds, pickUpP99Seconds + 1, 0.01),
        };

        // Act
        ScenarioResult judged = Judge(rising);

        // Assert
        Assert.Equal(met, judged.TargetMet);
        Assert.Equal(2000.0 / 6000, judged.Ratio!.Value, 6);
        Assert.Contains("2600 msg/s offered", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_CpuBoundAboveItsCeiling_NotJudgedAndSaysWhy()
    {
        // Arrange: the transformation timed after the row at 440 µs (a disturbed machine), the row itself did 2600/s.
        ScenarioResult cpuBound = CpuBoundRow(2600, new TransformationCostRow(249e-6, 479e-6, 440e-6, 0.99));
        ScenarioResult echo = Echo with { CpuMicrosecondsPerMessage = 42.7 };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(cpuBound, echo, Seed, 2000, null);

        // Assert
        Assert.True(judged.Ratio > 1);
        Assert.Null(judged.TargetMet);
        Assert.Contains("which a ceiling cannot allow", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_RisingThatSentNothing_NotJudged()
    {
        ScenarioResult judged = Judge(Row("rising"));

        Assert.Null(judged.TargetMet);
    }

    [Fact]
    public void Judge_MixedWithoutASeedRow_NotJudgedAndSaysWhy()
    {
        ScenarioResult mixed = Row("mixed") with { Sent = 10, Replied = 10, BySize = [new SizeResult(5, 10, 10, 0, 1, 10, null)] };

        ScenarioResult judged = ScenarioJudgement.Judge(mixed, Echo, null, 2000, null);

        Assert.Null(judged.TargetMet);
        Assert.Contains("add -s seed", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_MixedTimedOut_FailsWhateverItsRate()
    {
        ScenarioResult mixed = Row("mixed") with { Sent = 10, Replied = 9, Missing = 1, TimedOut = true, BySize = [new SizeResult(5, 10, 9, 0, 1, 5000, null)] };

        Assert.False(Judge(mixed).TargetMet);
    }

    [Fact]
    public void Judge_SeedQuorumNothingReplied_FailsAsTimedOut()
    {
        ScenarioResult quorum = Row("seed-quorum") with { Sent = 2000, Missing = 2000, TimedOut = true };

        ScenarioResult judged = Judge(quorum);

        Assert.False(judged.TargetMet);
        Assert.Equal("timed out: 0 of 2000 replied", judged.Note);
    }

    [Fact]
    public void Judge_SeedQuorumDrained_MetWithItsShareOfTheClassicRow()
    {
        ScenarioResult quorum = Row("seed-quorum") with { Sent = 100_000, Replied = 100_000, ThroughputPerSecond = 3000 };

        ScenarioResult judged = Judge(quorum);

        Assert.True(judged.TargetMet);
        Assert.Equal(0.5, judged.Ratio!.Value, 6);
        Assert.Contains("0.750 of the classic seed row", judged.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(50, true)]
    [InlineData(51, false)]
    public void Judge_BlipClose_DuplicatesAgainstOnePercentOfInFlight(long duplicates, bool met)
    {
        ScenarioResult blip = Row("blip-close") with { Sent = 100_000, Replied = 100_000, Duplicates = duplicates, DeadLettered = 0, Lost = 0, Blip = Blip(inFlight: 5000) };

        ScenarioResult judged = Judge(blip);

        Assert.Equal(met, judged.TargetMet);
        Assert.Equal(duplicates / 5000.0, ScenarioJudgement.DuplicateShare(judged)!.Value, 9);
    }

    [Fact]
    public void Judge_BlipWithLostRequest_Fails()
    {
        ScenarioResult blip = Row("blip-stop") with { Sent = 100, Replied = 98, Missing = 2, DeadLettered = 1, Lost = 1, Blip = Blip(inFlight: 5000) };

        Assert.False(Judge(blip).TargetMet);
    }

    [Fact]
    public void Judge_BlipWithDeadLetteredButNothingLost_Met()
    {
        ScenarioResult blip = Row("blip-stop") with { Sent = 100, Replied = 98, Missing = 2, DeadLettered = 2, Lost = 0, Blip = Blip(inFlight: 5000) };

        Assert.True(Judge(blip).TargetMet);
    }

    [Fact]
    public void Judge_BlipNeverTriggered_NotJudgedAndSaysSo()
    {
        ScenarioResult blip = Row("blip-close") with { Sent = 100, Replied = 100, Blip = new BlipResult("close", false, 5000, null, null, 1200, null, null, null, null, 0, 0, null) };

        ScenarioResult judged = Judge(blip);

        Assert.Null(judged.TargetMet);
        Assert.Contains("never held 5000 requests (most seen: 1200)", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_BlipLandedWithFewerInFlightThanItsTrigger_NotJudged()
    {
        ScenarioResult blip = Row("blip-close") with { Sent = 100, Replied = 100, Blip = Blip(inFlight: 800) };

        ScenarioResult judged = Judge(blip);

        Assert.Null(judged.TargetMet);
        Assert.Contains("fewer than the 5000 the blip is for", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_BlipLandedWithNothingInFlight_NoShareAndNotJudged()
    {
        ScenarioResult blip = Row("blip-close") with { Sent = 100, Replied = 100, Duplicates = 7, Blip = Blip(inFlight: 0) };

        ScenarioResult judged = Judge(blip);

        Assert.Null(judged.TargetMet);
        Assert.Null(ScenarioJudgement.DuplicateShare(judged));
        Assert.Contains("7 duplicates (– of them)", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_SeedMaxLengthDrained_MetWithItsShareOfTheSeedRow()
    {
        ScenarioResult maxLength = Row("seed-max-length") with { Sent = 20_000, Replied = 20_000, ThroughputPerSecond = 3600, QueueArguments = "x-max-length=200000, x-overflow=reject-publish" };

        ScenarioResult judged = Judge(maxLength);

        Assert.True(judged.TargetMet);
        Assert.Equal(0.6, judged.Ratio!.Value, 6);
        Assert.Equal("drained; 0.900 of the seed row's throughput", judged.Note);
    }

    [Fact]
    public void Judge_SeedMaxLengthNothingConsumed_FailsAsTimedOut()
    {
        // A worker that redeclares the queue plainly gets PRECONDITION_FAILED and consumes nothing.
        ScenarioResult maxLength = Row("seed-max-length") with { Sent = 20_000, Missing = 20_000, TimedOut = true };

        ScenarioResult judged = Judge(maxLength);

        Assert.False(judged.TargetMet);
        Assert.StartsWith("timed out: 0 of 20000 replied", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_SeedMaxLengthWithDeadLetters_FailsThoughNothingIsLost()
    {
        ScenarioResult maxLength = Row("seed-max-length") with { Sent = 100, Replied = 99, Missing = 1, DeadLettered = 1, Lost = 0 };

        Assert.False(Judge(maxLength).TargetMet);
    }

    [Theory]
    [InlineData(6000, true)]
    [InlineData(6001, false)]
    public void Judge_ClusterKill_DuplicatesAgainstInFlightAtTheKill(long duplicates, bool met)
    {
        ScenarioResult kill = ClusterKill() with { Duplicates = duplicates };

        ScenarioResult judged = Judge(kill);

        Assert.Equal(met, judged.TargetMet);
        Assert.Contains($"{duplicates} duplicates ({(met ? "<=" : ">")} in flight at the kill)", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_ClusterKillDrainedCleanly_MetAndTheNoteSaysWhatWasKilledAndWhenTheWorkerWasBack()
    {
        ScenarioResult judged = Judge(ClusterKill());

        Assert.True(judged.TargetMet);
        Assert.Equal(
            "drained; node 1 (qibench-1@localhost) killed with 6000 in flight (worker log; 5000 at the trigger; finding and killing the node took 2.5 s); 0 duplicates (<= in flight at the kill), 0 dead-lettered; worker connected again 4.0 s after losing its connection (/metrics), 'Connection recovered' logged 4.2 s after the kill (the worker's own figure: 4.1 s); reply collector reconnected 1x",
            judged.Note);
    }

    [Fact]
    public void Judge_ClusterKillWithRequestsStrandedOnTheKilledNode_FailsAndSaysWhereTheyAre()
    {
        ScenarioResult kill = ClusterKill() with
        {
            Replied = 19_794,
            Missing = 206,
            Lost = 206,
            RequestQueueAfterRun = new QueueState(0, 206),
            RequestQueueAfterNodeBack = new QueueState(206, 0),
        };

        ScenarioResult judged = Judge(kill);

        Assert.False(judged.TargetMet);
        Assert.EndsWith(
            "request queue after the worker stopped: 0 ready, 206 unacknowledged (held by consumers of the killed node: stranded, not redelivered); with the killed node started again: 206 ready, 0 unacknowledged",
            judged.Note,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_ClusterKillWithALostRequest_Fails()
    {
        ScenarioResult kill = ClusterKill() with { Replied = 19_998, Missing = 2, DeadLettered = 1, Lost = 1 };

        Assert.False(Judge(kill).TargetMet);
    }

    [Fact]
    public void Judge_ClusterKillWithDeadLettersButNothingLost_Met()
    {
        ScenarioResult kill = ClusterKill() with { Replied = 19_998, Missing = 2, DeadLettered = 2, Lost = 0 };

        Assert.True(Judge(kill).TargetMet);
    }

    [Fact]
    public void Judge_ClusterKillWorkerExitedBeforeTheTrigger_Fails()
    {
        // "A worker that exits fails the row", even when it died before the kill could be judged.
        ScenarioResult kill = Row("cluster-kill") with
        {
            Sent = 20_000,
            Missing = 20_000,
            ExitedEarly = true,
            ExitCode = 69,
            Blip = new BlipResult("kill", false, 5000, null, null, 0, null, null, null, null, 0, 0, null),
        };

        ScenarioResult judged = Judge(kill);

        Assert.False(judged.TargetMet);
        Assert.Contains("exited with code 69", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_ClusterKillWorkerExitedAfterTheKill_Fails()
    {
        ScenarioResult kill = ClusterKill() with { Replied = 9000, Missing = 11_000, ExitedEarly = true, ExitCode = 70 };

        Assert.False(Judge(kill).TargetMet);
    }

    [Fact]
    public void Judge_ClusterKillWorkerNeverConnectedAgain_Fails()
    {
        ScenarioResult kill = ClusterKill() with { Blip = KillBlip(inFlight: 6000) with { WorkerReconnectedAfterSeconds = null } };

        ScenarioResult judged = Judge(kill);

        Assert.False(judged.TargetMet);
        Assert.Contains("worker not seen connected again", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_ClusterKillWithFewerInFlightThanItsTrigger_NotJudged()
    {
        ScenarioResult kill = ClusterKill() with { Blip = KillBlip(inFlight: 700) };

        ScenarioResult judged = Judge(kill);

        Assert.Null(judged.TargetMet);
        Assert.EndsWith("fewer than the 5000 the kill is for: not judged", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_ClusterKillWhoseClusterDidNotStart_NotJudgedAndSaysWhy()
    {
        ScenarioResult kill = Row("cluster-kill") with { Blip = new BlipResult("cluster-kill", false, 5000, null, null, null, null, null, null, null, 0, 0, "the private 3-node cluster did not start: boom") };

        ScenarioResult judged = Judge(kill);

        Assert.Null(judged.TargetMet);
        Assert.Equal("not measured: the private 3-node cluster did not start: boom", judged.Note);
    }

    [Fact]
    public void Judge_ClusterKillThatFailed_NotJudged()
    {
        ScenarioResult kill = ClusterKill() with { Blip = KillBlip(inFlight: 6000) with { Error = "no connection named queue-inference-consumer… on any node" } };

        ScenarioResult judged = Judge(kill);

        Assert.Null(judged.TargetMet);
        Assert.Contains("the kill failed: no connection named", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_ExistingScenario_UnchangedByTheProductionRules()
    {
        ScenarioResult oneAtATime = Row("one-at-a-time") with { ThroughputPerSecond = 0.3, Sent = 5, Replied = 5 };

        ScenarioResult judged = Judge(oneAtATime);

        Assert.Null(judged.Target);
        Assert.Equal("the seed scenario is 13333x faster", judged.Note);
    }

    [Fact]
    public void Judge_CpuBoundWithEchoCpu_RatioToOneOverEchoCpuPlusTransformation()
    {
        // Arrange: echo 50 µs of CPU per message, transformation 500 µs (a CPU limit of 2000/s): ceiling 1 / 550 µs = 1818.2/s.
        ScenarioResult echo = Echo with { CpuMicrosecondsPerMessage = 50 };
        ScenarioResult cpuBound = Row("cpu-bound") with { ThroughputPerSecond = 1600, Sent = 100, Replied = 100, CpuMicrosecondsPerMessage = 620 };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(cpuBound, echo, Seed, 2000, null);

        // Assert
        Assert.Equal(1e6 / 550, judged.CeilingPerSecond!.Value, 6);
        Assert.Equal(1600 * 550 / 1e6, judged.Ratio!.Value, 9);
        Assert.True(judged.TargetMet);
        Assert.Equal(">= 0.85 of 1 / (echo CPU per message + the transformation's cost), over the drain", judged.Target);
        Assert.Equal("ceiling 1 / (echo CPU 50.0 µs + the transformation 500.0 µs) = 1818 msg/s", judged.RatioTo);
        Assert.Equal(12.4, judged.CpuPerMessageToEcho!.Value, 9);
        Assert.Contains("0.800 of the CPU limit (2000 msg/s, the transformation alone)", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void DrainCeiling_NoIoStep_IsTheRate()
    {
        // Act
        double? drain = ScenarioJudgement.DrainCeiling(3000, 100_000, 0, 50, 20_000);

        // Assert
        Assert.Equal(3000, drain);
    }

    [Fact]
    public void DrainCeiling_IoStepLongerThanWhatTheHeldRequestsCost_AddsTheRestOfTheWait()
    {
        // Arrange: 100 000 at 3000/s take 33.33 s; the first wait is 3 s, in which a pod holding 20 000 could do at most
        // their echo cost, 20 000 x 50 µs = 1 s: 35.33 s.

        // Act
        double? drain = ScenarioJudgement.DrainCeiling(3000, 100_000, 3, 50, 20_000);

        // Assert
        Assert.Equal(100_000 / ((100_000 / 3000.0) + 2), drain!.Value, 9);
    }

    [Fact]
    public void DrainCeiling_HeldRequestsCostMoreThanTheWait_IsTheRate()
    {
        // Arrange: 30 000 held at 150 µs each (4.5 s) could fill a 3 s wait; with no bound on what is held, all of them.

        // Act
        double? bounded = ScenarioJudgement.DrainCeiling(3000, 100_000, 3, 150, 30_000);
        double? unbounded = ScenarioJudgement.DrainCeiling(3000, 100_000, 3, 150, null);

        // Assert
        Assert.Equal(3000, bounded!.Value, 9);
        Assert.Equal(3000, unbounded!.Value, 9);
    }

    [Fact]
    public void Judge_CpuBoundWithAnIoStep_RatioToTheCeilingOverTheDrain()
    {
        // Arrange: ceiling 1 / 550 µs = 1818.2/s; 100 000 replies take 55 s at that rate, plus the 3 s wait less the echo
        // cost of the 20 000 held in it (1 s): 57 s, a drain ceiling of 1754.4/s.
        ScenarioResult echo = Echo with { CpuMicrosecondsPerMessage = 50 };
        ScenarioResult cpuBound = CpuBoundRow(1500, new TransformationCostRow(400e-6, 450e-6, 500e-6, 1.0)) with { IoDelaySeconds = 3, MaxInFlight = 20_000 };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(cpuBound, echo, Seed, 2000, null);

        // Assert
        Assert.Equal(1e6 / 550, judged.CeilingPerSecond!.Value, 6);
        Assert.Equal(100_000 / 57.0, judged.DrainCeilingPerSecond!.Value, 6);
        Assert.Equal(1500 * 57.0 / 100_000, judged.Ratio!.Value, 9);
        Assert.True(judged.TargetMet);
        Assert.Equal("ceiling 1 / (echo CPU 50.0 µs + the transformation 500.0 µs) = 1818 msg/s; over this drain, whose requests first wait 3 s (the I/O step): 1754 msg/s (0.825 of the rate without that wait)", judged.RatioTo);
        Assert.Equal(100_000 / ((100_000 * 450e-6) + 2), judged.FastestRoundCeilingPerSecond!.Value, 6);
    }

    [Fact]
    public void Judge_CpuBoundWithTheTransformationTimedAfterTheRow_CeilingFromItsCpuTime()
    {
        // Arrange: the start-of-run limit says 2500/s (400 µs); timed after the row, the transformation cost 500 µs of CPU
        // per message across its rounds and 400 µs in its fastest: ceiling 1 / 550 µs, fastest-round ceiling 1 / 450 µs.
        ScenarioResult echo = Echo with { CpuMicrosecondsPerMessage = 50 };
        ScenarioResult cpuBound = Row("cpu-bound") with
        {
            ThroughputPerSecond = 1600,
            Sent = 100,
            Replied = 100,
            CpuMicrosecondsPerMessage = 620,
            Transformation = new TransformationCostRow(400e-6, 450e-6, 500e-6, 0.98),
        };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(cpuBound, echo, Seed, 2500, null);

        // Assert
        Assert.Equal(1e6 / 550, judged.CeilingPerSecond!.Value, 6);
        Assert.Equal(1600 * 550 / 1e6, judged.Ratio!.Value, 9);
        Assert.Equal(1e6 / 450, judged.FastestRoundCeilingPerSecond!.Value, 6);
        Assert.Equal(1600 * 450 / 1e6, judged.RatioToFastestRoundCeiling!.Value, 9);
        Assert.True(judged.TargetMet);
        Assert.Equal("ceiling 1 / (echo CPU 50.0 µs + the transformation 500.0 µs) = 1818 msg/s", judged.RatioTo);
        Assert.Contains("the transformation alone after the row: 500.0 µs of CPU per message (fastest round 400.0 µs, median 450.0 µs, CPU share 0.98)", judged.Note, StringComparison.Ordinal);
        Assert.Contains("0.720 of the fastest-round ceiling (2222 msg/s)", judged.Note, StringComparison.Ordinal);
        Assert.Contains("0.800 of the CPU limit (2000 msg/s, the transformation alone)", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_WorkerRowWithItsComputeThreadsCpu_NoteSplitsItsCpuBesideTheEcho()
    {
        // Arrange
        ScenarioResult echo = Echo with { CpuMicrosecondsPerMessage = 54.5 };
        ScenarioResult cpuBound = Row("cpu-bound") with { ThroughputPerSecond = 2000, Sent = 100, Replied = 100, CpuMicrosecondsPerMessage = 455.8, ComputeCpuMicrosecondsPerMessage = 398.0 };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(cpuBound, echo, Seed, 2000, null);

        // Assert
        Assert.EndsWith("CPU per message 455.8 µs: compute threads 398.0 µs, the rest 57.8 µs (the echo's 54.5 µs)", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void CpuSplitNote_NoComputeThreadsFigure_Null()
    {
        // Arrange: the echo has no compute threads.
        ScenarioResult echo = Echo with { CpuMicrosecondsPerMessage = 54.5 };

        // Act + Assert
        Assert.Null(ScenarioJudgement.CpuSplitNote(echo, echo));
    }

    [Fact]
    public void Judge_CpuBoundBelowTheGoal_NotMet()
    {
        // Arrange: ceiling 1818/s, 0.84 of it.
        ScenarioResult cpuBound = Row("cpu-bound") with { ThroughputPerSecond = 0.84 * 1e6 / 550 };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(cpuBound, Echo with { CpuMicrosecondsPerMessage = 50 }, Seed, 2000, null);

        // Assert
        Assert.False(judged.TargetMet);
    }

    [Fact]
    public void Judge_CpuBoundWithoutEchoCpu_NotJudgedAndSaysWhy()
    {
        // Arrange
        ScenarioResult cpuBound = Row("cpu-bound") with { ThroughputPerSecond = 1800 };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(cpuBound, null, null, 2000, null);

        // Assert
        Assert.Null(judged.Ratio);
        Assert.Null(judged.TargetMet);
        Assert.Contains("add -s echo", judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_SeedWithCpuPerMessage_RatioToTheEchosInTheRowAndNote()
    {
        // Arrange
        ScenarioResult seed = Seed with { CpuMicrosecondsPerMessage = 60 };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(seed, Echo with { CpuMicrosecondsPerMessage = 50 }, null, 2000, null);

        // Assert
        Assert.Equal(1.2, judged.CpuPerMessageToEcho!.Value, 9);
        Assert.Equal("CPU 60.0 µs per message = 1.20x the echo's 50.0 µs (goal <= 1.3x)", judged.Note);
    }

    [Fact]
    public void Judge_Echo_CpuRatioToItselfIsOne()
    {
        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(Echo with { CpuMicrosecondsPerMessage = 47 }, null, null, 2000, null);

        // Assert
        Assert.Equal(1.0, judged.CpuPerMessageToEcho);
    }

    [Fact]
    public void Judge_ModelHeavyAtItsCeiling_RatioToOneOverEchoCpuPlusModelCost()
    {
        // Arrange: echo 50 µs, model 150 µs of CPU per item at batch 60: ceiling 5000/s; the row did 4400/s = 0.88.
        // Its fastest round, 130 µs, would make the ceiling 1 / 180 µs = 5556/s and the ratio 0.792.
        ScenarioResult row = ModelRow("model-heavy", 4400, new ModelCostAtBatch("model-heavy.onnx", 59.6, 60, 130e-6, 170e-6, 150e-6, 0.97));

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(row, Echo with { CpuMicrosecondsPerMessage = 50 }, null, 2000, null);

        // Assert
        Assert.Equal(5000, judged.CeilingPerSecond!.Value, 6);
        Assert.Equal(0.88, judged.Ratio!.Value, 9);
        Assert.True(judged.TargetMet);
        Assert.Equal("ceiling 1 / (echo CPU 50.0 µs + model 150.0 µs at batch 60) = 5000 msg/s", judged.RatioTo);
        Assert.Contains("mean batch size 59.60 over 500 runs; the model alone at batch 60: 150.0 µs of CPU per item (fastest round 130.0 µs, median 170.0 µs, CPU share 0.97)", judged.Note, StringComparison.Ordinal);
        Assert.Equal(1e6 / 180, judged.FastestRoundCeilingPerSecond!.Value, 6);
        Assert.Equal(4400 * 180 / 1e6, judged.RatioToFastestRoundCeiling!.Value, 9);
        Assert.Contains("0.792 of the fastest-round ceiling (5556 msg/s)", judged.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9.5, null, "the pod used 0.95 CPU over the drain")]
    [InlineData(4.7, null, "the pod used 0.47 CPU over the drain (below its 1 CPU: the machine, not the pod's limit, held it back)")]
    [InlineData(9.5, 0.02, "the pod used 0.95 CPU over the drain, with 0.02 of the machine's cores idle")]
    [InlineData(8.7, 0.04, "the pod used 0.87 CPU over the drain, with 0.04 of the machine's cores idle (below its 1 CPU with no core idle: the broker and this tool, which share the machine, had the cores it was waiting for)")]
    [InlineData(4.7, 0.9, "the pod used 0.47 CPU over the drain, with 0.90 of the machine's cores idle")]
    public void Judge_ModelHeavy_NoteSaysHowMuchCpuThePodGot(double cpuSeconds, double? idleCores, string expected)
    {
        // Arrange: a 10 s drain window.
        ScenarioResult row = ModelRow("model-heavy", 4400, new ModelCostAtBatch("model-heavy.onnx", 64, 64, 150e-6, 150e-6, 150e-6, 1)) with
        {
            DrainCpu = new DrainCpu(cpuSeconds / 30_000 * 1e6, cpuSeconds, 10, 30_000, "cgroup", null),
            MachineIdleCores = idleCores,
        };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(row, Echo with { CpuMicrosecondsPerMessage = 50 }, null, 2000, null);

        // Assert: the pod's share is the note's last part (a batched row without a CPU split), so nothing follows it.
        Assert.EndsWith(expected, judged.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.57, 0.35, "the pod used 0.87 CPU over the drain, with 0.20 of the machine's cores idle; its compute threads ran 0.57 and waited for a core 0.35 of each second of the drain; it had work, so the pod lacked a core rather than work")]
    [InlineData(0.57, 0.10, "the pod used 0.87 CPU over the drain, with 0.20 of the machine's cores idle; its compute threads ran 0.57 and waited for a core 0.10 of each second of the drain")]
    public void Judge_ModelHeavyWithItsComputeThreadsSchedule_NoteSaysWhetherTheLaneHadWork(double running, double waiting, string expected)
    {
        // Arrange: a 10 s drain window in which the pod used 8.7 s.
        ScenarioResult row = ModelRow("model-heavy", 4400, new ModelCostAtBatch("model-heavy.onnx", 64, 64, 150e-6, 150e-6, 150e-6, 1)) with
        {
            DrainCpu = new DrainCpu(8.7 / 30_000 * 1e6, 8.7, 10, 30_000, "cgroup", null),
            MachineIdleCores = 0.2,
            ComputeThreadsRunningCores = running,
            ComputeThreadsWaitingCores = waiting,
        };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(row, Echo with { CpuMicrosecondsPerMessage = 50 }, null, 2000, null);

        // Assert
        Assert.EndsWith(expected, judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_ModelHeavyWithBrokerAndToolCpu_NoteSetsTheirCoresBesideThePods()
    {
        // Arrange: a 10 s drain window in which the pod used 8.8 s, the broker 6.5 s and this tool 1.8 s.
        ScenarioResult row = ModelRow("model-heavy", 4400, new ModelCostAtBatch("model-heavy.onnx", 64, 64, 150e-6, 150e-6, 150e-6, 1)) with
        {
            DrainCpu = new DrainCpu(8.8 / 30_000 * 1e6, 8.8, 10, 30_000, "cgroup", null),
            BrokerDrainCpu = new DrainCpu(6.5 / 30_000 * 1e6, 6.5, 10, 30_000, "procfs", null),
            ToolDrainCpu = new DrainCpu(1.8 / 30_000 * 1e6, 1.8, 10, 30_000, "procfs", null),
            MachineIdleCores = 0.3,
        };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(row, Echo with { CpuMicrosecondsPerMessage = 50 }, null, 2000, null);

        // Assert
        Assert.EndsWith("the pod used 0.88 CPU over the drain, the broker 0.65 and this tool 0.18 cores, with 0.30 of the machine's cores idle", judged.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6000, "the ceiling is 0.83 of the echo row's throughput (6000 msg/s, the broker's own rate here): near it, the broker needs the cores the pod shares with it, and the row measures the broker as much as the pod")]
    [InlineData(20000, "the ceiling is 0.25 of the echo row's throughput (20000 msg/s, the broker's own rate here);")]
    public void Judge_ModelHeavy_NoteSetsTheCeilingBesideTheBrokersRate(double echoThroughput, string expected)
    {
        // Arrange: a ceiling of 1 / (50 + 150 µs) = 5000 msg/s.
        ScenarioResult row = ModelRow("model-heavy", 4400, new ModelCostAtBatch("model-heavy.onnx", 64, 64, 150e-6, 150e-6, 150e-6, 1)) with
        {
            DrainCpu = new DrainCpu(300, 9, 10, 30_000, "cgroup", null),
        };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(row, Echo with { CpuMicrosecondsPerMessage = 50, ThroughputPerSecond = echoThroughput }, null, 2000, null);

        // Assert
        Assert.Contains(expected, judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_ModelHeavyThatExited_FailsWhateverItsRate()
    {
        // Arrange
        ScenarioResult row = ModelRow("model-heavy", 4900, new ModelCostAtBatch("model-heavy.onnx", 64, 64, 150e-6, 150e-6, 150e-6, 1)) with { ExitedEarly = true, Replied = 10, Missing = 29_990 };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(row, Echo with { CpuMicrosecondsPerMessage = 50 }, null, 2000, null);

        // Assert
        Assert.False(judged.TargetMet);
    }

    [Fact]
    public void Judge_ModelHeavyWithoutTheModelsCost_NotJudged()
    {
        // Arrange: /metrics was not read, so no batch size and no timing.
        ScenarioResult row = ModelRow("model-heavy", 4400, null);

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(row, Echo with { CpuMicrosecondsPerMessage = 50 }, null, 2000, null);

        // Assert
        Assert.Null(judged.Ratio);
        Assert.Null(judged.TargetMet);
    }

    [Theory]
    [InlineData(5.2, true)]
    [InlineData(4.9, false)]
    public void Judge_ModelHeavyUnbatched_GoalIsTheBatchedRowFiveTimesAsFast(double batchedToUnbatched, bool met)
    {
        // Arrange: batch size 1, model 800 µs of CPU per item: ceiling 1 / 850 µs.
        ScenarioResult row = ModelRow("model-heavy-unbatched", 1000, new ModelCostAtBatch("model-heavy.onnx", 1, 1, 780e-6, 820e-6, 800e-6, 0.99)) with { BatchedToUnbatched = batchedToUnbatched };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(row, Echo with { CpuMicrosecondsPerMessage = 50 }, null, 2000, null);

        // Assert
        Assert.Equal(met, judged.TargetMet);
        Assert.Equal(0.85, judged.Ratio!.Value, 9);
        Assert.Equal("model-heavy (batched) >= 5x this row", judged.Target);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"model-heavy (batched) is {batchedToUnbatched:F2}x this row"), judged.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 0.0005)]
    [InlineData(0.0, 0.0005)]
    [InlineData(double.NaN, 0.0005)]
    public void Ceiling_NoEchoCpu_Null(double? echoMicroseconds, double work)
    {
        // Act
        double? ceiling = ScenarioJudgement.Ceiling(echoMicroseconds, work);

        // Assert
        Assert.Null(ceiling);
    }

    [Theory]
    [InlineData(260e-6, 240.0, 240e-6)]
    [InlineData(230e-6, 240.0, 230e-6)]
    [InlineData(260e-6, null, 260e-6)]
    [InlineData(260e-6, 0.0, 260e-6)]
    public void CeilingWork_TimedAgainstTheComputeThreads_TheLowerOfTheTwo(double timed, double? computeMicroseconds, double expected)
    {
        // Act
        double work = ScenarioJudgement.CeilingWork(timed, computeMicroseconds);

        // Assert
        Assert.Equal(expected, work, 12);
    }

    [Fact]
    public void Judge_CpuBoundTimedAboveItsComputeThreads_CeilingTakesTheComputeThreadsFigure()
    {
        // Arrange: the transformation timed alone at 260 µs, but the row's compute threads did it, and more, in 240 µs a
        // message: the ceiling is 1 / (50 + 240) µs = 3448/s, not 1 / 310 µs = 3226/s; 2900/s is 0.841 of it, not 0.899.
        ScenarioResult cpuBound = CpuBoundRow(2900, new TransformationCostRow(250e-6, 262e-6, 260e-6, 1.0)) with { ComputeCpuMicrosecondsPerMessage = 240 };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(cpuBound, Echo with { CpuMicrosecondsPerMessage = 50 }, Seed, 3000, null);

        // Assert
        Assert.Equal(1e6 / 290, judged.CeilingPerSecond!.Value, 6);
        Assert.Equal(2900 * 290 / 1e6, judged.Ratio!.Value, 9);
        Assert.False(judged.TargetMet);
        Assert.Equal("ceiling 1 / (echo CPU 50.0 µs + the transformation 240.0 µs) = 3448 msg/s", judged.RatioTo);
        Assert.Contains("the transformation timed alone (260.0 µs) cost more than the row's compute threads spent per message (240.0 µs, that work and more): the ceiling takes the compute threads' figure", judged.Note, StringComparison.Ordinal);
        Assert.Equal(1e6 / 290, judged.FastestRoundCeilingPerSecond!.Value, 6);
    }

    [Fact]
    public void Judge_ModelHeavyTimedAboveItsComputeThreads_CeilingTakesTheComputeThreadsFigure()
    {
        // Arrange: run be71f10d: the model alone at batch 60 took 138.1 µs of CPU per item, the row's compute threads
        // 117.6 µs per message (the model and more); echo 54.7 µs: the ceiling is 1 / 172.3 µs, and 4715/s is 0.812 of
        // it, not the 0.909 the model's timing gave.
        ScenarioResult row = ModelRow("model-heavy", 4715, new ModelCostAtBatch("model-heavy.onnx", 59.64, 60, 132.7e-6, 136.9e-6, 138.1e-6, 1.0)) with
        {
            ComputeCpuMicrosecondsPerMessage = 117.6,
        };

        // Act
        ScenarioResult judged = ScenarioJudgement.Judge(row, Echo with { CpuMicrosecondsPerMessage = 54.7 }, null, 2000, null);

        // Assert
        Assert.Equal(1e6 / 172.3, judged.CeilingPerSecond!.Value, 6);
        Assert.Equal(0.812, judged.Ratio!.Value, 3);
        Assert.False(judged.TargetMet);
        Assert.Equal("ceiling 1 / (echo CPU 54.7 µs + model 117.6 µs at batch 60) = 5804 msg/s", judged.RatioTo);
        Assert.Contains("the model timed alone (138.1 µs) cost more than the row's compute threads spent per message (117.6 µs, that work and more)", judged.Note, StringComparison.Ordinal);
    }

    /// <summary>A drained cpu-bound row of 100 000 requests with the transformation timed after it.</summary>
    private static ScenarioResult CpuBoundRow(double throughput, TransformationCostRow transformation) =>
        Row("cpu-bound") with { Sent = 100_000, Replied = 100_000, ThroughputPerSecond = throughput, Transformation = transformation };

    private static ScenarioResult ModelRow(string name, double throughput, ModelCostAtBatch? model) =>
        Row(name) with { ThroughputPerSecond = throughput, Sent = 30_000, Replied = 30_000, Model = model, InferenceRuns = 500, MeanBatchSize = model?.MeanBatchSize };

    private static ScenarioResult Judge(ScenarioResult row) => ScenarioJudgement.Judge(row, Echo, Seed, 2000, null);

    private static ScenarioResult Row(string name) => new() { Name = name, Description = string.Empty, Process = "worker" };

    private static BlipResult Blip(long inFlight) => new("close", true, 5000, 5000, inFlight, 5000, 2, 9, 3, 10, 1, 0, null);

    private static ScenarioResult ClusterKill() => Row("cluster-kill") with
    {
        Sent = 20_000,
        Replied = 20_000,
        DeadLettered = 0,
        Lost = 0,
        QueueType = "quorum",
        Blip = KillBlip(inFlight: 6000),
    };

    private static BlipResult KillBlip(long inFlight) => new("kill", true, 5000, 5000, inFlight, 5000, 2, 4.5, 4.0, 2.5, 1, 12, null)
    {
        Detail = "node 1 (qibench-1@localhost) killed",
        InFlightAtBlipSource = "worker log",
        DisturbedAtSeconds = 4.5,
        WorkerLogRecoveredAfterSeconds = 4.2,
        WorkerReportedOutageSeconds = 4.1,
    };
}

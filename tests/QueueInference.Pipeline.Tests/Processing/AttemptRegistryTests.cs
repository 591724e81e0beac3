using Microsoft.Extensions.Time.Testing;
using QueueInference.Pipeline.Processing;

namespace QueueInference.Pipeline.Tests.Processing;

public sealed class AttemptRegistryTests : IDisposable
{
    private static readonly RequestKey Key = new(0, 42);
    private readonly FakeTimeProvider _time = new();
    private readonly AttemptRegistry _registry;

    public AttemptRegistryTests() => _registry = new AttemptRegistry(_time, TimeSpan.FromMinutes(5), capacity: 100);

    public void Dispose() => _registry.Dispose();

    [Fact]
    public void Admit_FirstDelivery_NewAttemptRegistered()
    {
        // Arrange, Act
        AdmissionDecision decision = _registry.Admit(Key, new FakeDelivery("d1"), redelivered: false);

        // Assert
        Assert.Equal(AdmissionKind.New, decision.Kind);
        Assert.Equal(1, _registry.Running);
    }

    [Fact]
    public void Admit_RedeliveryWhileRunning_JoinsAndTheAttemptSettlesThroughIt()
    {
        // Arrange
        var original = new FakeDelivery("original");
        Attempt attempt = _registry.Admit(Key, original, redelivered: false).Attempt!;
        original.IsLive = false;
        var redelivery = new FakeDelivery("redelivery");

        // Act
        AdmissionDecision decision = _registry.Admit(Key, redelivery, redelivered: true);
        IReadOnlyList<IDelivery> deliveries = _registry.EndSettled(attempt);

        // Assert
        Assert.Equal(AdmissionKind.Joined, decision.Kind);
        Assert.Same(attempt, decision.Attempt);
        Assert.Equal([original, redelivery], deliveries);
        Assert.Equal([redelivery], deliveries.Where(d => d.IsLive));
        Assert.Equal(0, _registry.Running);
    }

    [Fact]
    public void Admit_RedeliveryOfRequestAnsweredWhileItsConnectionWasGone_AlreadyAnswered()
    {
        // Arrange
        var original = new FakeDelivery("original");
        Attempt attempt = _registry.Admit(Key, original, redelivered: false).Attempt!;
        original.IsLive = false;
        _registry.EndSettled(attempt);
        _time.Advance(TimeSpan.FromMinutes(4));

        // Act
        AdmissionDecision decision = _registry.Admit(Key, new FakeDelivery("redelivery"), redelivered: true);
        AdmissionDecision afterwards = _registry.Admit(Key, new FakeDelivery("later"), redelivered: true);

        // Assert
        Assert.Equal(AdmissionKind.AlreadyAnswered, decision.Kind);
        Assert.Equal(AdmissionKind.UnknownRedelivery, afterwards.Kind);
    }

    [Fact]
    public void Admit_RedeliveryAfterTheWindow_Unknown()
    {
        // Arrange
        var original = new FakeDelivery("original") { IsLive = false };
        Attempt attempt = _registry.Admit(Key, original, redelivered: false).Attempt!;
        _registry.EndSettled(attempt);
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        // Act
        AdmissionDecision decision = _registry.Admit(Key, new FakeDelivery("redelivery"), redelivered: true);

        // Assert
        Assert.Equal(AdmissionKind.UnknownRedelivery, decision.Kind);
    }

    [Fact]
    public void Admit_RedeliveryShortlyAfterAnAckedAnswer_AlreadyAnswered()
    {
        // Arrange: acked while live, but the ack may have died with the connection just after.
        Attempt attempt = _registry.Admit(Key, new FakeDelivery("original"), redelivered: false).Attempt!;
        _registry.EndSettled(attempt);
        _time.Advance(AttemptRegistry.AckedMemory - TimeSpan.FromSeconds(1));

        // Act
        AdmissionDecision decision = _registry.Admit(Key, new FakeDelivery("redelivery"), redelivered: true);

        // Assert
        Assert.Equal(AdmissionKind.AlreadyAnswered, decision.Kind);
    }

    [Fact]
    public void Admit_RedeliveryOfAbandonedAttempt_OwnRedeliveryNotACrash()
    {
        // Arrange
        var original = new FakeDelivery("original");
        Attempt attempt = _registry.Admit(Key, original, redelivered: false).Attempt!;
        original.IsLive = false;
        _registry.EndAbandoned(attempt);

        // Act
        AdmissionDecision decision = _registry.Admit(Key, new FakeDelivery("redelivery"), redelivered: true);

        // Assert
        Assert.Equal(AdmissionKind.OwnRedelivery, decision.Kind);
    }

    [Fact]
    public void Admit_UnknownRedelivery_CountsAsPossibleCrash()
    {
        // Arrange, Act
        AdmissionDecision decision = _registry.Admit(Key, new FakeDelivery("redelivery"), redelivered: true);

        // Assert
        Assert.Equal(AdmissionKind.UnknownRedelivery, decision.Kind);
    }

    [Fact]
    public void Admit_FreshDeliveryAlikeToARunningOne_RunsOnItsOwn()
    {
        // Arrange
        Attempt first = _registry.Admit(Key, new FakeDelivery("first"), redelivered: false).Attempt!;

        // Act
        AdmissionDecision second = _registry.Admit(Key, new FakeDelivery("second"), redelivered: false);

        // Assert
        Assert.Equal(AdmissionKind.New, second.Kind);
        Assert.NotSame(first, second.Attempt);
    }

    [Fact]
    public void Admit_CopyWithoutRedeliveredFlagOfARequestWhoseDeliveryWasLost_Joins()
    {
        // Arrange: the connection that delivered it is gone; the broker hands it back without the flag.
        var original = new FakeDelivery("original");
        Attempt attempt = _registry.Admit(Key, original, redelivered: false).Attempt!;
        original.IsLive = false;
        var copy = new FakeDelivery("copy");

        // Act
        AdmissionDecision decision = _registry.Admit(Key, copy, redelivered: false);

        // Assert
        Assert.Equal(AdmissionKind.Joined, decision.Kind);
        Assert.Same(attempt, decision.Attempt);
        Assert.True(attempt.HasLiveDelivery);
    }

    [Fact]
    public void Admit_CopyWithoutRedeliveredFlagOfARequestAnsweredWhileItsConnectionWasGone_AlreadyAnswered()
    {
        // Arrange
        var original = new FakeDelivery("original");
        Attempt attempt = _registry.Admit(Key, original, redelivered: false).Attempt!;
        original.IsLive = false;
        _registry.EndSettled(attempt);

        // Act
        AdmissionDecision decision = _registry.Admit(Key, new FakeDelivery("copy"), redelivered: false);

        // Assert
        Assert.Equal(AdmissionKind.AlreadyAnswered, decision.Kind);
    }

    [Fact]
    public void Admit_FreshDeliveryAlikeToOneAnsweredAndAcked_RunsAgain()
    {
        // Arrange: answered and acked normally; a client sending the same request again gets a second answer.
        Attempt attempt = _registry.Admit(Key, new FakeDelivery("first"), redelivered: false).Attempt!;
        _registry.EndSettled(attempt);

        // Act
        AdmissionDecision decision = _registry.Admit(Key, new FakeDelivery("again"), redelivered: false);

        // Assert
        Assert.Equal(AdmissionKind.New, decision.Kind);
    }

    [Fact]
    public void EndSettled_MoreThanCapacityUnacked_OldestForgotten()
    {
        // Arrange: capacity 100 keeps 200 unacked answers.
        for (int i = 0; i < 201; i++)
        {
            Attempt attempt = _registry.Admit(new RequestKey(0, (ulong)i), new FakeDelivery("d") { IsLive = false }, redelivered: false).Attempt!;
            _registry.EndSettled(attempt);
        }

        // Act
        AdmissionDecision oldest = _registry.Admit(new RequestKey(0, 0), new FakeDelivery("r"), redelivered: true);
        AdmissionDecision newest = _registry.Admit(new RequestKey(0, 200), new FakeDelivery("r"), redelivered: true);

        // Assert
        Assert.Equal(AdmissionKind.UnknownRedelivery, oldest.Kind);
        Assert.Equal(AdmissionKind.AlreadyAnswered, newest.Kind);
        Assert.InRange(_registry.Remembered, 0, 200);
    }

    [Fact]
    public async Task WaitUntilSettleable_DeliveryLost_WaitsForTheRedelivery()
    {
        // Arrange
        var original = new FakeDelivery("original");
        Attempt attempt = _registry.Admit(Key, original, redelivered: false).Attempt!;
        original.IsLive = false;

        // Act
        ValueTask<bool> waiting = attempt.WaitUntilSettleableAsync(CancellationToken.None);
        bool completedBefore = waiting.IsCompleted;
        _registry.Admit(Key, new FakeDelivery("redelivery"), redelivered: true);
        bool settleable = await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.False(completedBefore);
        Assert.True(settleable);
    }

    [Fact]
    public async Task WaitUntilSettleable_NoRedeliveryBeforeTheDeadline_GivesUp()
    {
        // Arrange
        var original = new FakeDelivery("original") { IsLive = false };
        Attempt attempt = _registry.Admit(Key, original, redelivered: false).Attempt!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        // Act
        bool settleable = await attempt.WaitUntilSettleableAsync(deadline.Token);

        // Assert
        Assert.False(settleable);
    }

    [Fact]
    public async Task StopWaitingForRedeliveries_WaitingAttempt_GivesUpAtOnce()
    {
        // Arrange
        var original = new FakeDelivery("original") { IsLive = false };
        Attempt attempt = _registry.Admit(Key, original, redelivered: false).Attempt!;
        ValueTask<bool> waiting = attempt.WaitUntilSettleableAsync(CancellationToken.None);

        // Act
        _registry.StopWaitingForRedeliveries();
        bool settleable = await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.False(settleable);
    }

    [Fact]
    public async Task WaitUntilSettleable_LiveDelivery_CompletesAtOnce()
    {
        // Arrange
        Attempt attempt = _registry.Admit(Key, new FakeDelivery("live"), redelivered: false).Attempt!;

        // Act
        ValueTask<bool> settleable = attempt.WaitUntilSettleableAsync(CancellationToken.None);
        bool completedAtOnce = settleable.IsCompletedSuccessfully;

        // Assert
        Assert.True(completedAtOnce);
        Assert.True(await settleable);
    }
}

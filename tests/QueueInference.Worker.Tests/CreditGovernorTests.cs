using QueueInference.Worker.Consuming;

namespace QueueInference.Worker.Tests;

public sealed class CreditGovernorTests
{
    [Fact]
    public void PauseCandidate_FreshWindowAndSpentWindowWithAcksDue_PausesTheSpentOne()
    {
        // Arrange: slot 0 was just resumed (287 free, nothing due); slot 1 used its window and 40 acks are due.
        int[] credit = [287, 45, 300];
        int[] acksDue = [0, 40, 0];
        bool[] active = [true, true, false];

        // Act
        int slot = CreditGovernor.PauseCandidate(3, s => active[s], s => credit[s], s => acksDue[s]);

        // Assert
        Assert.Equal(1, slot);
    }

    [Fact]
    public void PauseCandidate_NoAcksDue_PausesTheOneWithMostCredit()
    {
        // Arrange
        int[] credit = [10, 200, 0, 150];
        bool[] active = [true, true, true, true];

        // Act
        int slot = CreditGovernor.PauseCandidate(4, s => active[s], s => credit[s], _ => 0);

        // Assert
        Assert.Equal(1, slot);
    }

    [Fact]
    public void PauseCandidate_NothingActiveWithCredit_ReturnsNone()
    {
        // Arrange
        int[] credit = [0, 120];
        bool[] active = [true, false];

        // Act
        int slot = CreditGovernor.PauseCandidate(2, s => active[s], s => credit[s], _ => 0);

        // Assert
        Assert.Equal(-1, slot);
    }
    [Fact]
    public void RefreshCandidate_QueueLeftWithLessThanOneWindowOfCredit_ReplacesTheMostSpentConsumer()
    {
        // Arrange: three running consumers of one queue, 12 credits left between them, windows of up to 278.
        ConsumerPlan.Slot[] slots = [Slot(0, "requests", 278), Slot(1, "requests", 278), Slot(2, "requests", 278)];
        int[] credit = [5, 0, 7];

        // Act
        int slot = CreditGovernor.RefreshCandidate(slots, _ => true, s => credit[s]);

        // Assert
        Assert.Equal(1, slot);
    }

    [Fact]
    public void RefreshCandidate_QueueHasAWindowOfCreditLeft_ReturnsNone()
    {
        // Arrange: the broker can still push a whole window's worth: nothing waits on credit.
        ConsumerPlan.Slot[] slots = [Slot(0, "requests", 278), Slot(1, "requests", 278)];
        int[] credit = [0, 278];

        // Act
        int slot = CreditGovernor.RefreshCandidate(slots, _ => true, s => credit[s]);

        // Assert
        Assert.Equal(-1, slot);
    }

    [Fact]
    public void RefreshCandidate_OnlyOneQueueShort_PicksAConsumerOfThatQueue()
    {
        // Arrange: partition a has plenty of credit (little traffic); partition b's consumers are spent.
        ConsumerPlan.Slot[] slots = [Slot(0, "a", 100), Slot(1, "b", 100), Slot(2, "a", 100), Slot(3, "b", 100)];
        int[] credit = [0, 3, 150, 2];

        // Act
        int slot = CreditGovernor.RefreshCandidate(slots, _ => true, s => credit[s]);

        // Assert
        Assert.Equal(3, slot);
    }

    [Fact]
    public void RefreshCandidate_PausedConsumer_NeitherCountedNorPicked()
    {
        // Arrange: slot 0 is paused (its credit is not the broker's to use); the running one has 10 left.
        ConsumerPlan.Slot[] slots = [Slot(0, "requests", 50), Slot(1, "requests", 50)];
        int[] credit = [0, 10];
        bool[] active = [false, true];

        // Act
        int slot = CreditGovernor.RefreshCandidate(slots, s => active[s], s => credit[s]);

        // Assert
        Assert.Equal(1, slot);
    }

    private static ConsumerPlan.Slot Slot(int index, string queue, ushort prefetch) => new(index, queue, 0, prefetch);
}

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
}

using QueueInference.Pipeline.Admission;

namespace QueueInference.Pipeline.Tests.Admission;

public sealed class MemoryAdmissionTests
{
    [Theory]
    [InlineData(120, 2048 + 128 + 8 * 64 + 120 + 1024)]
    [InlineData(61_056, 2048 + 65_536 + 8 * 4096 + 61_056 + 1024)]
    [InlineData(65_536, 2048 + 65_536 + 8 * 4096 + 65_536 + 1024)]
    public void Of_BodySize_BodyValuesReplyAndFixedPart(int bodyBytes, long expected)
    {
        // Arrange
        var cost = new RequestMemoryCost(maxDataLength: 4096);

        // Act
        long bytes = cost.Of(bodyBytes);

        // Assert
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void AffordableDeliveries_PartlyReserved_WhatTheRestHoldsAtTheLargestSize()
    {
        // Arrange
        var budget = new MemoryBudget(limitBytes: 1000, worstRequestBytes: 100);

        // Act
        budget.Reserve(350);
        long affordable = budget.AffordableDeliveries;
        budget.Release(350);

        // Assert
        Assert.Equal(6, affordable);
        Assert.Equal(0, budget.ReservedBytes);
    }
}

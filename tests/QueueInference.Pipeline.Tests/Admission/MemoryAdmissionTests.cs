using System.Globalization;
using System.Text;
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
    public void Of_BodyOf64Values_CountsTheValuesItsCommasAllow()
    {
        // Arrange: a model row's request, 64 numbers of about 20 bytes each.
        var cost = new RequestMemoryCost(maxDataLength: 4096);
        string data = string.Join(", ", Enumerable.Range(0, 64).Select(i => (0.123456789012345 * (i + 1)).ToString("R", CultureInfo.InvariantCulture)));
        byte[] body = Encoding.UTF8.GetBytes($$"""{"message_id": "m-1", "data": [{{data}}]}""");

        // Act
        long bytes = cost.Of(body);

        // Assert: 64 commas allow 65 values, pooled as 128 doubles; the unseen bound would have counted 1024.
        Assert.InRange(body.Length, 1025, 2048);
        Assert.Equal(2048 + 2048 + 8 * 128 + body.Length + 1024, bytes);
        Assert.Equal(2048 + 2048 + 8 * 1024 + body.Length + 1024, cost.Of(body.Length));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(700)]
    [InlineData(20_000)]
    public void Of_DensestBody_EqualsTheUnseenBound(int values)
    {
        // Arrange: one-digit values, the most a body of its size can hold.
        var cost = new RequestMemoryCost(maxDataLength: 4096);
        byte[] body = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("1", values)) + "]");

        // Act
        long seen = cost.Of(body);

        // Assert
        Assert.Equal(cost.Of(body.Length), seen);
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

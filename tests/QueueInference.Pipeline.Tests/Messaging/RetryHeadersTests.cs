using QueueInference.Pipeline.Messaging;

namespace QueueInference.Pipeline.Tests.Messaging;

public sealed class RetryHeadersTests
{
    [Fact]
    public void Read_NoHeaders_IsZero()
    {
        // Arrange, Act
        int? count = RetryHeaders.Read(null, RetryHeaders.Attempts);

        // Assert
        Assert.Equal(0, count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(RetryHeaders.MaxCount)]
    public void Read_IntegerWeWrite_IsTheCount(int written)
    {
        // Arrange
        var headers = new Dictionary<string, object?> { [RetryHeaders.Attempts] = written };

        // Act
        int? count = RetryHeaders.Read(headers, RetryHeaders.Attempts);

        // Assert
        Assert.Equal(written, count);
    }

    public static TheoryData<object?> Forged() => new()
    {
        -1,
        -1_000_000,
        int.MinValue,
        RetryHeaders.MaxCount + 1,
        2_147_483_648L,
        long.MaxValue,
        4_294_967_295u,
        "2",
        "abc",
        System.Text.Encoding.UTF8.GetBytes("1"),
        1.5,
        1.0f,
        true,
        null,
        new List<object> { 1 },
    };

    [Theory]
    [MemberData(nameof(Forged))]
    public void Read_NegativeHugeOrNotAnInteger_IsNull(object? value)
    {
        // Arrange
        var headers = new Dictionary<string, object?> { [RetryHeaders.Redeliveries] = value };

        // Act
        int? count = RetryHeaders.Read(headers, RetryHeaders.Redeliveries);

        // Assert
        Assert.Null(count);
    }

    [Fact]
    public void Read_OtherIntegerTypes_AcceptedWithinRange()
    {
        // Arrange
        var headers = new Dictionary<string, object?> { ["a"] = (byte)2, ["b"] = (short)3, ["c"] = 4L, ["d"] = (sbyte)5, ["e"] = (ushort)6, ["f"] = 7u };

        // Act
        int?[] counts = [.. headers.Keys.Order().Select(name => RetryHeaders.Read(headers, name))];

        // Assert
        Assert.Equal([2, 3, 4, 5, 6, 7], counts);
    }
}

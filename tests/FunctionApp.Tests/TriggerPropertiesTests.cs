using System.Text;
using RabbitMQ.Client;

namespace QueueInference.FunctionApp.Tests;

public sealed class TriggerPropertiesTests
{
    private static Dictionary<string, object?> BindingData(string basicPropertiesJson) => new()
    {
        ["DeliveryTag"] = "1",
        [TriggerProperties.BindingDataKey] = basicPropertiesJson,
    };

    [Theory]
    [InlineData(HostBindingDataSamples.Client6Request)]
    [InlineData(HostBindingDataSamples.Client7Request)]
    public void Read_HostRequestJson_MapsReplyToCorrelationIdAndMessageProperties(string json)
    {
        // Arrange
        Dictionary<string, object?> bindingData = BindingData(json);

        // Act
        BasicProperties properties = TriggerProperties.Read(bindingData);

        // Assert
        Assert.Equal("amq.gen-reply", properties.ReplyTo);
        Assert.Equal("6f1c-corr", properties.CorrelationId);
        Assert.Equal("m1", properties.MessageId);
        Assert.Equal("application/json", properties.ContentType);
        Assert.False(properties.IsContentEncodingPresent());
        Assert.False(properties.IsTypePresent());
    }

    [Fact]
    public void Read_RequeueCountHeader_ReturnsInt32()
    {
        // Arrange
        Dictionary<string, object?> bindingData = BindingData(HostBindingDataSamples.Client6Request);

        // Act
        BasicProperties properties = TriggerProperties.Read(bindingData);

        // Assert
        Assert.Equal(2, Assert.IsType<int>(properties.Headers!["x-ms-rabbitmq-requeuecount"]));
    }

    [Fact]
    public void Read_LongStringHeader_ReturnsTheDeliveredBytes()
    {
        // Arrange
        Dictionary<string, object?> bindingData = BindingData(HostBindingDataSamples.Client6Request);

        // Act
        BasicProperties properties = TriggerProperties.Read(bindingData);

        // Assert
        Assert.Equal("abc", Encoding.UTF8.GetString(Assert.IsType<byte[]>(properties.Headers!["trace"])));
    }

    [Fact]
    public void Read_NestedHeaders_ReturnsTablesListsAndWideNumbers()
    {
        // Arrange
        Dictionary<string, object?> bindingData = BindingData(HostBindingDataSamples.Client6Request);

        // Act
        IDictionary<string, object?> headers = TriggerProperties.Read(bindingData).Headers!;

        // Assert
        Assert.Equal(1, Assert.IsType<Dictionary<string, object?>>(headers["nested"])["k"]);
        List<object?> list = Assert.IsType<List<object?>>(headers["list"]);
        Assert.Equal(1, list[0]);
        Assert.Equal("a", Encoding.UTF8.GetString(Assert.IsType<byte[]>(list[1])));
        Assert.Equal(true, headers["flag"]);
        Assert.Equal(1099511627776L, Assert.IsType<long>(headers["big"]));
    }

    [Fact]
    public void Read_BareRequest_LeavesReplyToCorrelationIdAndHeadersAbsent()
    {
        // Arrange
        Dictionary<string, object?> bindingData = BindingData(HostBindingDataSamples.Client6Bare);

        // Act
        BasicProperties properties = TriggerProperties.Read(bindingData);

        // Assert
        Assert.False(properties.IsReplyToPresent());
        Assert.False(properties.IsCorrelationIdPresent());
        Assert.False(properties.IsHeadersPresent());
    }

    [Fact]
    public void Read_NoBasicProperties_ThrowsSoTheHostRetries()
    {
        // Arrange
        var bindingData = new Dictionary<string, object?> { ["DeliveryTag"] = "1" };

        // Act
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => TriggerProperties.Read(bindingData));

        // Assert
        Assert.Contains(TriggerProperties.BindingDataKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BasicPropertiesNotJsonText_Throws()
    {
        // Arrange
        var bindingData = new Dictionary<string, object?> { [TriggerProperties.BindingDataKey] = new ReadOnlyMemory<byte>([1, 2]) };

        // Act
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => TriggerProperties.Read(bindingData));

        // Assert
        Assert.Contains("ReadOnlyMemory", error.Message, StringComparison.Ordinal);
    }
}

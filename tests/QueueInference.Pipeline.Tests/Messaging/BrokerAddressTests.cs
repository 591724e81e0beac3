using QueueInference.Pipeline.Messaging;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Tests.Messaging;

public sealed class BrokerAddressTests
{
    [Fact]
    public void TryParse_HostList_SharesCredentialsVhostAndScheme()
    {
        // Arrange
        const string connectionString = "amqp://user:p%40ss@node1:5701,node2:5702,node3/orders";

        // Act
        bool parsed = BrokerAddress.TryParse(connectionString, out BrokerAddress? address);

        // Assert
        Assert.True(parsed);
        Assert.Equal([("node1", 5701), ("node2", 5702), ("node3", -1)], address!.Hosts);
        Assert.Equal("user:p%40ss", address.FirstHost.UserInfo);
        Assert.Equal("/orders", address.FirstHost.AbsolutePath);
        Assert.False(address.IsTls);
    }

    [Fact]
    public void Endpoints_Tls_EachHostValidatedUnderItsOwnName()
    {
        // Arrange
        Assert.True(BrokerAddress.TryParse("amqps://u:p@a.example:5671,b.example:5671/", out BrokerAddress? address));
        var factory = new ConnectionFactory { Uri = address!.FirstHost };

        // Act
        IList<AmqpTcpEndpoint> endpoints = address.Endpoints(factory);

        // Assert
        Assert.Equal(["a.example", "b.example"], endpoints.Select(e => e.Ssl.ServerName));
        Assert.All(endpoints, e => Assert.True(e.Ssl.Enabled));
        Assert.Equal([5671, 5671], endpoints.Select(e => e.Port));
    }

    [Fact]
    public void Endpoints_NoPort_TakesTheSchemesDefault()
    {
        // Arrange
        Assert.True(BrokerAddress.TryParse("amqp://guest:guest@localhost/", out BrokerAddress? address));

        // Act
        AmqpTcpEndpoint endpoint = Assert.Single(address!.Endpoints(new ConnectionFactory { Uri = address.FirstHost }));

        // Assert
        Assert.Equal(5672, endpoint.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost:5672")]
    [InlineData("http://localhost/")]
    [InlineData("amqp://")]
    [InlineData("amqp://a:1,,b:2/")]
    [InlineData("amqp://a:1,b:notaport/")]
    public void TryParse_NotAnAmqpUri_IsFalse(string connectionString)
    {
        // Arrange, Act
        bool parsed = BrokerAddress.TryParse(connectionString, out _);

        // Assert
        Assert.False(parsed);
    }

    [Theory]
    [InlineData("amqp://user:secret@h1:5672,h2:5673/vhost", "amqp://user:***@h1:5672,h2:5673/vhost")]
    [InlineData("amqps://user:secret@host/", "amqps://user:***@host/")]
    [InlineData("amqp://host:5672/", "amqp://host:5672/")]
    public void Redact_PasswordNeverShown(string connectionString, string expected)
    {
        // Arrange, Act
        string redacted = ConnectionStrings.Redact(connectionString);

        // Assert
        Assert.Equal(expected, redacted);
        Assert.DoesNotContain("secret", redacted, StringComparison.Ordinal);
    }
}

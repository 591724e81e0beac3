namespace QueueInference.Cli.IntegrationTests;

/// <summary>All broker tests share one node; starting RabbitMQ takes seconds.</summary>
[CollectionDefinition(Name)]
public sealed class SharedBroker : ICollectionFixture<BrokerFixture>
{
    public const string Name = "broker";
}

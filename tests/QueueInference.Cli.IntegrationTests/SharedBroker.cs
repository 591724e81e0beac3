using QueueInference.Testing;

namespace QueueInference.Cli.IntegrationTests;

/// <summary>All broker tests share one private node (or RABBITMQ_TEST_URL); starting RabbitMQ takes seconds.</summary>
[CollectionDefinition(Name)]
public sealed class SharedBroker : ICollectionFixture<TestBroker>
{
    public const string Name = "broker";
}

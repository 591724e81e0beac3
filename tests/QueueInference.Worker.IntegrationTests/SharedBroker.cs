using QueueInference.Testing;

namespace QueueInference.Worker.IntegrationTests;

/// <summary>One private broker for every test class in this assembly; the classes run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SharedBroker : ICollectionFixture<TestBroker>
{
    public const string Name = "broker";
}

using QueueInference.Testing;

namespace QueueInference.Worker.IntegrationTests;

/// <summary>One private three-node cluster for every test class of this collection, started once.</summary>
[CollectionDefinition(Name)]
public sealed class SharedCluster : ICollectionFixture<TestCluster>
{
    public const string Name = "cluster";
}

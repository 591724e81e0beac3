using System.Text;
using System.Text.Json;
using QueueInference.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Xunit.Abstractions;

namespace QueueInference.Worker.IntegrationTests;

/// <summary>
/// The cluster fixture itself: three nodes in one cluster, a quorum queue that survives the SIGKILL of its
/// leader's node, nodes that come back and rejoin, connections the broker closes. Each test leaves every
/// node running (<see cref="DisposeAsync"/> restores any it left down).
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class ClusterFixtureTests(TestCluster fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string GracefulStopLine = "RabbitMQ is asked to stop";

    public Task InitializeAsync()
    {
        output.WriteLine($"cluster started in {fixture.Cluster.StartupTime.TotalSeconds:F1} s: {fixture.AmqpUrl}");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => fixture.RestoreAsync();

    [Fact]
    public async Task StartAsync_ThreeNodes_EveryNodeSeesAllThreeRunning()
    {
        // Arrange
        string[] expected = [.. fixture.Cluster.NodeNames.Order(StringComparer.Ordinal)];

        // Act
        IReadOnlyList<string>[] views = await Task.WhenAll(Enumerable.Range(0, fixture.NodeCount).Select(node => fixture.Cluster.RunningNodesAsync(node)));

        // Assert
        Assert.Equal(3, fixture.NodeCount);
        Assert.Equal(3, expected.Distinct().Count());
        Assert.All(views, view => Assert.Equal(expected, view.Order(StringComparer.Ordinal)));
        IReadOnlyList<int> ports = fixture.Cluster.Ports;
        Assert.Equal($"amqp://guest:guest@127.0.0.1:{ports[0]},127.0.0.1:{ports[1]},127.0.0.1:{ports[2]}/", fixture.AmqpUrl);
    }

    [Fact]
    public async Task KillNodeAsync_QuorumLeadersNode_EveryPersistentMessageStillReadable()
    {
        // Arrange: a quorum queue declared through node 0, messages confirmed by it.
        const int count = 500;
        string queue = $"fixture-qq-kill-{Guid.NewGuid():N}";
        await fixture.Cluster.DeclareQuorumQueueAsync(queue, node: 0);
        HashSet<string> sent = await PublishPersistentAsync(0, queue, count);
        int leader = await fixture.Cluster.QueueLeaderAsync(queue);
        int gracefulStopsBefore = CountInLogs(leader, GracefulStopLine);

        // Act
        int killedVm = await fixture.Cluster.KillNodeAsync(leader);
        (long ready, long unacked) = await fixture.Cluster.QueueCountsAsync(queue);
        int newLeader = await fixture.Cluster.QueueLeaderAsync(queue);
        int survivor = Enumerable.Range(0, fixture.NodeCount).First(node => node != leader);
        List<string> read = await ReadAllAsync(survivor, queue);
        output.WriteLine($"killed node {leader} (beam.smp pid {killedVm}), the leader; new leader node {newLeader}; counts while down {ready}/{unacked}; read {read.Count} of {count} through node {survivor}");

        // Assert: the VM died at once (no graceful stop), and nothing was lost.
        Assert.False(Directory.Exists($"/proc/{killedVm}"), $"beam.smp {killedVm} still exists");
        Assert.False(fixture.Cluster.IsRunning(leader));
        Assert.Equal(gracefulStopsBefore, CountInLogs(leader, GracefulStopLine));
        Assert.NotEqual(leader, newLeader);
        Assert.Equal((count, 0), (ready, unacked));
        Assert.Equal(count, read.Count);
        Assert.Equal(sent.Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task StartNodeAsync_KilledNode_RejoinsAndItsQuorumMemberCatchesUp()
    {
        // Arrange: node 2 is killed and misses messages published while it is down.
        const int killed = 2;
        string queue = $"fixture-qq-rejoin-{Guid.NewGuid():N}";
        await fixture.Cluster.DeclareQuorumQueueAsync(queue, node: 0);
        await fixture.Cluster.KillNodeAsync(killed);
        IReadOnlyList<string> whileDown = await fixture.Cluster.RunningNodesAsync(0);
        await PublishPersistentAsync(0, queue, 100);

        // Act
        await fixture.Cluster.StartNodeAsync(killed);
        IReadOnlyList<string> afterRestart = await fixture.Cluster.RunningNodesAsync(0);
        (QuorumMember member, long leaderCommit) = await WaitForCaughtUpMemberAsync(queue, fixture.Cluster.NodeNames[killed], TimeSpan.FromSeconds(30));
        output.WriteLine($"running while node {killed} was down: {string.Join(", ", whileDown)}; after restart: {string.Join(", ", afterRestart)}; its member: {member}, leader's commit index {leaderCommit}");

        // Assert
        Assert.DoesNotContain(fixture.Cluster.NodeNames[killed], whileDown);
        Assert.Equal(fixture.Cluster.NodeNames.Order(StringComparer.Ordinal), afterRestart.Order(StringComparer.Ordinal));
        Assert.Equal("follower", member.State);
        Assert.Equal(leaderCommit, member.CommitIndex);
        Assert.Equal((100L, 0L), await fixture.Cluster.QueueCountsAsync(queue));
    }

    [Fact]
    public async Task StopNodeAsync_Graceful_NodeLeavesQueueServedAndRestartRejoins()
    {
        // Arrange
        const int stopped = 1;
        string queue = $"fixture-qq-stop-{Guid.NewGuid():N}";
        await fixture.Cluster.DeclareQuorumQueueAsync(queue, node: 0);
        await PublishPersistentAsync(0, queue, 20);
        int gracefulStopsBefore = CountInLogs(stopped, GracefulStopLine);

        // Act
        await fixture.Cluster.StopNodeAsync(stopped);
        IReadOnlyList<string> whileStopped = await fixture.Cluster.RunningNodesAsync(0);
        (long, long) countsWhileStopped = await fixture.Cluster.QueueCountsAsync(queue);
        await fixture.Cluster.StartNodeAsync(stopped);
        IReadOnlyList<string> afterRestart = await fixture.Cluster.RunningNodesAsync(stopped);

        // Assert
        Assert.Equal(gracefulStopsBefore + 1, CountInLogs(stopped, GracefulStopLine));
        Assert.DoesNotContain(fixture.Cluster.NodeNames[stopped], whileStopped);
        Assert.Equal((20L, 0L), countsWhileStopped);
        Assert.Equal(fixture.Cluster.NodeNames.Order(StringComparer.Ordinal), afterRestart.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task QueueCountsAsync_ConsumerHoldsDeliveries_ReadyAndUnackedAtOnce()
    {
        // Arrange: 30 messages, a consumer on node 1 holding 10 of them unacknowledged.
        string queue = $"fixture-qq-counts-{Guid.NewGuid():N}";
        await fixture.Cluster.DeclareQuorumQueueAsync(queue, node: 0);
        await PublishPersistentAsync(0, queue, 30);
        await using IConnection connection = await fixture.ConnectAsync(1, "fixture-holder");
        await using IChannel channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, 10, global: false);
        int received = 0;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, _) =>
        {
            Interlocked.Increment(ref received);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (Volatile.Read(ref received) < 10 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        // Act: no wait for the broker's 5 s metrics tick, which list_queues would report.
        (long ready, long unacked) = await fixture.Cluster.QueueCountsAsync(queue);

        // Assert
        Assert.Equal(10, Volatile.Read(ref received));
        Assert.Equal((20L, 10L), (ready, unacked));
    }

    [Fact]
    public async Task CloseAllConnectionsAsync_ClientConnected_ClientSeesBrokerClose()
    {
        // Arrange
        await using IConnection connection = await fixture.ConnectAsync(1, "fixture-close-probe");
        var closed = new TaskCompletionSource<ShutdownEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionShutdownAsync += (_, args) =>
        {
            closed.TrySetResult(args);
            return Task.CompletedTask;
        };

        // Act
        await fixture.Cluster.CloseAllConnectionsAsync("fixture self-test");
        ShutdownEventArgs shutdown = await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));

        // Assert: closed by the broker with CONNECTION_FORCED.
        Assert.Equal(ShutdownInitiator.Peer, shutdown.Initiator);
        Assert.Equal(320, shutdown.ReplyCode);
        Assert.False(connection.IsOpen);
    }

    [Fact]
    public async Task NodeOfConnectionAsync_ConnectionsOnTwoNodes_NamesEachNode()
    {
        // Arrange
        await using IConnection onTwo = await fixture.ConnectAsync(2, "fixture-where-a@test");
        await using IConnection onZero = await fixture.ConnectAsync(0, "fixture-where-b@test");

        // Act
        int? a = await fixture.Cluster.NodeOfConnectionAsync("fixture-where-a");
        int? b = await fixture.Cluster.NodeOfConnectionAsync("fixture-where-b");
        int? nobody = await fixture.Cluster.NodeOfConnectionAsync("fixture-where-nobody");

        // Assert
        Assert.Equal(2, a);
        Assert.Equal(0, b);
        Assert.Null(nobody);
    }

    private async Task<HashSet<string>> PublishPersistentAsync(int node, string queue, int count)
    {
        await using IConnection connection = await fixture.ConnectAsync(node, "fixture-publisher");
        await using IChannel channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var bodies = new HashSet<string>();
        var pending = new List<Task>(count);
        for (int i = 0; i < count; i++)
        {
            string body = $"{queue}/{i}";
            bodies.Add(body);
            pending.Add(channel.BasicPublishAsync(string.Empty, queue, mandatory: true, new BasicProperties { Persistent = true }, Encoding.UTF8.GetBytes(body)).AsTask());
        }

        await Task.WhenAll(pending);
        return bodies;
    }

    private async Task<List<string>> ReadAllAsync(int node, string queue)
    {
        await using IConnection connection = await fixture.ConnectAsync(node, "fixture-reader");
        await using IChannel channel = await connection.CreateChannelAsync();
        var bodies = new List<string>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            bodies.Add(Encoding.UTF8.GetString(message.Body.Span));
        }

        return bodies;
    }

    private int CountInLogs(int node, string text) =>
        Directory.EnumerateFiles(fixture.Cluster.LogDirectory(node), "*.log")
            .Sum(file => File.ReadLines(file).Count(line => line.Contains(text, StringComparison.Ordinal)));

    /// <summary>Waits until <paramref name="nodeName"/>'s member of <paramref name="queue"/> runs and has committed as far as the leader.</summary>
    private async Task<(QuorumMember Member, long LeaderCommit)> WaitForCaughtUpMemberAsync(string queue, string nodeName, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            string json = await fixture.Cluster.RunToolAsync("rabbitmq-queues", ["quorum_status", queue, "--formatter", "json"], node: 0);
            QuorumMember[] members = [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(QuorumMember.Parse)];
            QuorumMember member = members.Single(m => m.Node == nodeName);
            long? leaderCommit = members.SingleOrDefault(m => m.State == "leader")?.CommitIndex;
            if (leaderCommit is { } commit && (member.CommitIndex == commit || DateTime.UtcNow > deadline))
            {
                return (member, commit);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{queue} has no leader: {json}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>One row of <c>rabbitmq-queues quorum_status</c>: a member's Raft state ("leader", "follower", or a nodedown tuple) and commit index.</summary>
    private sealed record QuorumMember(string Node, string State, long? CommitIndex)
    {
        public static QuorumMember Parse(JsonElement row) => new(
            row.GetProperty("Node Name").GetString()!,
            row.GetProperty("Raft State") is { ValueKind: JsonValueKind.String } state ? state.GetString()! : row.GetProperty("Raft State").ToString(),
            row.GetProperty("Commit Index") is { ValueKind: JsonValueKind.Number } index ? index.GetInt64() : null);
    }
}

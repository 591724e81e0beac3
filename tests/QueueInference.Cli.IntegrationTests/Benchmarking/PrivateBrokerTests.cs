using QueueInference.Cli.Benchmarking;
using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.IntegrationTests.Benchmarking;

/// <summary>The benchmark's own node: the broker's CPU each row reports is read from its Erlang VM.</summary>
public sealed class PrivateBrokerTests
{
    [Fact]
    public async Task CpuSeconds_NodeRunningThenStopped_GrowsWithTheBrokersWorkAndIsNullOnceStopped()
    {
        // Arrange: a node of this test's own, so the CPU read is its work alone.
        Assert.True(PrivateBroker.IsInstalled, "rabbitmq-server is not installed: as root run 'apt-get update && apt-get install -y rabbitmq-server'");
        PrivateBroker broker = await PrivateBroker.StartAsync($"qicpu{Environment.ProcessId}{Guid.NewGuid():N}"[..20], 0, CancellationToken.None);
        double? afterBoot;
        double? afterLoad;
        try
        {
            afterBoot = broker.CpuSeconds();
            string queue = $"cpu-{Guid.NewGuid():N}";
            await BrokerChecks.EnsureRequestQueueAsync(broker.ConnectionString, queue, declare: true, CancellationToken.None);
            var ledger = new MessageLedger(TimeSpan.FromMinutes(5));

            // Act: 20 000 persistent requests into a durable queue, each confirmed by the broker.
            await using (RequestPublisher publisher = await RequestPublisher.ConnectAsync(broker.ConnectionString, queue, 1, 1000, CancellationToken.None))
            {
                await publisher.PublishAsync(new PublishSchedule(20_000, null, null), queue, "nobody", ledger, new Random(1), CancellationToken.None);
            }

            afterLoad = broker.CpuSeconds();
        }
        finally
        {
            await broker.DisposeAsync();
        }

        // Assert: booting a node takes seconds of CPU, and 20 000 confirmed publishes at least a tenth of one more (about
        // 0.5-1 s here); a stopped node has nothing to read.
        Assert.NotNull(afterBoot);
        Assert.True(afterBoot > 0.5, $"the VM used {afterBoot} s booting");
        Assert.NotNull(afterLoad);
        Assert.True(afterLoad - afterBoot >= 0.1, $"20 000 publishes cost the VM {afterLoad - afterBoot} s");
        Assert.Null(broker.CpuSeconds());
    }
}

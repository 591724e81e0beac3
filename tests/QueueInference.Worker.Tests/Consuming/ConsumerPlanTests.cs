using QueueInference.Worker.Consuming;

namespace QueueInference.Worker.Tests.Consuming;

public sealed class ConsumerPlanTests
{
    private const long MiB = 1024 * 1024;

    [Theory]
    [InlineData(20_000, 1)]
    [InlineData(20_000, 3)]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(200_000, 2)]
    public void Create_AnyLimit_PrefetchesAddUpToMaxInFlightExactly(int maxInFlight, int queueCount)
    {
        // Arrange
        string[] queues = [.. Enumerable.Range(0, queueCount).Select(i => $"q.{i}")];

        // Act
        ConsumerPlan plan = ConsumerPlan.Create(queues, maxInFlight, budgetBytes: 179 * MiB, worstRequestBytes: 163_000, TimeSpan.FromSeconds(3));

        // Assert
        Assert.Equal(maxInFlight, plan.MaxInFlight);
        Assert.All(plan.Slots, s => Assert.InRange(s.Prefetch, 1, ushort.MaxValue));
    }

    [Fact]
    public void Create_LargestRequestsFillTheBudget_EachWindowAQuarterOfIt()
    {
        // Arrange: 179 MiB holds 1151 requests of 163 000 bytes.

        // Act
        ConsumerPlan plan = ConsumerPlan.Create(["q"], 20_000, 179 * MiB, 163_000, TimeSpan.FromSeconds(3));

        // Assert
        Assert.All(plan.Slots, s => Assert.InRange(s.Prefetch * 163_000L, 1, 179 * MiB / 4));
        Assert.Equal(20_000, plan.MaxInFlight);
    }

    [Fact]
    public void Create_RampUp_AtLeastTenConsumersStartedAcrossIt()
    {
        // Arrange, Act
        ConsumerPlan plan = ConsumerPlan.Create(["q"], 20_000, 100_000 * MiB, 163_000, TimeSpan.FromSeconds(3));

        // Assert
        Assert.Equal(ConsumerPlan.RampConsumers, plan.Consumers);
        Assert.Equal(TimeSpan.FromSeconds(3) / ConsumerPlan.RampConsumers, plan.Stagger);
    }

    [Fact]
    public void Create_NoRampUp_OneConsumerWhenTheBudgetAllows()
    {
        // Arrange, Act
        ConsumerPlan plan = ConsumerPlan.Create(["q"], 20_000, 100_000 * MiB, 163_000, TimeSpan.Zero);

        // Assert
        ConsumerPlan.Slot slot = Assert.Single(plan.Slots);
        Assert.Equal(20_000, slot.Prefetch);
    }

    [Fact]
    public void Create_SeveralQueues_InterleavedSoTheRampOpensThemAlike()
    {
        // Arrange, Act
        ConsumerPlan plan = ConsumerPlan.Create(["a", "b"], 20_000, 179 * MiB, 163_000, TimeSpan.FromSeconds(3));

        // Assert
        Assert.Equal(["a", "b", "a", "b"], plan.Slots.Take(4).Select(s => s.Queue));
        Assert.Equal(10_000, plan.Slots.Where(s => s.Queue == "a").Sum(s => s.Prefetch));
        Assert.All(plan.Slots, s => Assert.InRange(s.Channel, 0, ConsumerPlan.MaxChannelsPerQueue - 1));
    }

    [Fact]
    public void Create_BudgetSmallerThanOneRequest_WindowsOfOne()
    {
        // Arrange, Act
        ConsumerPlan plan = ConsumerPlan.Create(["q"], 50, budgetBytes: 1000, worstRequestBytes: 163_000, TimeSpan.Zero);

        // Assert
        Assert.Equal(50, plan.Consumers);
        Assert.All(plan.Slots, s => Assert.Equal(1, s.Prefetch));
    }

    [Fact]
    public void Create_TinyBudgetAndLargeLimit_ConsumersCappedWindowsGrow()
    {
        // Arrange, Act
        ConsumerPlan plan = ConsumerPlan.Create(["q"], 20_000, budgetBytes: 1000, worstRequestBytes: 163_000, TimeSpan.Zero);

        // Assert
        Assert.InRange(plan.Consumers, ConsumerPlan.MaxConsumersPerQueue - 5, ConsumerPlan.MaxConsumersPerQueue);
        Assert.Equal(20_000, plan.MaxInFlight);
    }
}

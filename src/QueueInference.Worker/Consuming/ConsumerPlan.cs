namespace QueueInference.Worker.Consuming;

/// <summary>
/// How the in-flight limit is split into consumers: each request queue gets an equal share of
/// Consumer:MaxInFlight, cut into consumers whose prefetches add up to it exactly. A consumer's prefetch is at
/// most a quarter of what the memory budget holds in requests of the largest valid size, so pausing and
/// resuming single consumers steers the bytes in flight finely; and at least <see cref="RampConsumers"/>
/// consumers per queue start one after another across Consumer:PrefetchRampUp. A queue's consumers share up
/// to <see cref="MaxChannelsPerQueue"/> channels, each channel its own process in the broker.
/// </summary>
internal sealed record ConsumerPlan(IReadOnlyList<ConsumerPlan.Slot> Slots, TimeSpan Stagger)
{
    public const int RampConsumers = 10;

    public const int MaxChannelsPerQueue = 10;

    /// <summary>Beyond this many consumers per queue, windows grow instead (a tiny budget must not mean thousands of consumers).</summary>
    public const int MaxConsumersPerQueue = 256;

    /// <summary>One consumer of the plan: its queue, its channel (within the queue's) and its prefetch.</summary>
    public sealed record Slot(int Index, string Queue, int Channel, ushort Prefetch);

    public int Consumers => Slots.Count;

    public int MaxInFlight => Slots.Sum(s => s.Prefetch);

    public static ConsumerPlan Create(IReadOnlyList<string> queues, int maxInFlight, long budgetBytes, long worstRequestBytes, TimeSpan rampUp)
    {
        long affordable = Math.Max(1, budgetBytes / Math.Max(1, worstRequestBytes));
        var perQueue = new List<List<(int Channel, ushort Prefetch)>>();
        for (int q = 0; q < queues.Count; q++)
        {
            int share = maxInFlight / queues.Count + (q < maxInFlight % queues.Count ? 1 : 0);
            long largest = Math.Min(Math.Min(ConsumerOptions.MaxPrefetchPerConsumer, Math.Max(1, affordable / 4)), Math.Max(1, share));
            largest = Math.Max(largest, (share + MaxConsumersPerQueue - 1) / MaxConsumersPerQueue);
            if (rampUp > TimeSpan.Zero)
            {
                largest = Math.Min(largest, Math.Max(1, (share + RampConsumers - 1) / RampConsumers));
            }

            int count = share == 0 ? 0 : (int)((share + largest - 1) / largest);
            perQueue.Add([.. Enumerable.Range(0, count).Select(i => (i % MaxChannelsPerQueue, (ushort)(share / count + (i < share % count ? 1 : 0))))]);
        }

        // Interleaved across the queues, so the ramp opens every partition at the same pace.
        var slots = new List<Slot>();
        for (int position = 0; slots.Count < perQueue.Sum(l => l.Count); position++)
        {
            for (int q = 0; q < queues.Count; q++)
            {
                if (position < perQueue[q].Count)
                {
                    slots.Add(new Slot(slots.Count, queues[q], perQueue[q][position].Channel, perQueue[q][position].Prefetch));
                }
            }
        }

        return new ConsumerPlan(slots, slots.Count > 1 ? rampUp / slots.Count : TimeSpan.Zero);
    }
}

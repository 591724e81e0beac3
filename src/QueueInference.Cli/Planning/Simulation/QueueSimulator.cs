using QueueInference.Cli.Planning.Autoscaling;

namespace QueueInference.Cli.Planning.Simulation;

/// <summary>
/// Fixed-step, deterministic fluid simulation of one RabbitMQ queue, its consumers and KEDA + HPA.
/// Each step: publish, start pods whose start-up is over, finish I/O and CPU work (ack), let draining pods
/// finish, deliver ready messages to pods with free prefetch (round robin, so in proportion to free
/// capacity), start work up to each pod's concurrency, then KEDA's poll and the HPA's sync on their periods.
/// </summary>
public sealed class QueueSimulator(ScaleScenario scenario)
{
    /// <summary>Fluid amounts below half a message round to zero messages.</summary>
    private const double EmptyBelow = 0.5;

    private readonly CohortFifo _ready = new();
    private readonly List<PodGroup> _groups = [];
    private readonly LatencyHistogram _latencies = new();
    private readonly PodCapacity _capacity = scenario.Capacity;
    private readonly double _step = scenario.Options.TimeStepSeconds;
    private double _acked;
    private double _ackedThisSample;
    private double _worstLatencyThisSample = double.NaN;

    public static SimulationResult Run(ScaleScenario scenario) => new QueueSimulator(scenario).Run();

    private SimulationResult Run()
    {
        SimulationOptions options = scenario.Options;
        KedaSettings keda = scenario.Keda;
        int steps = (int)Math.Round(options.DurationSeconds / _step);
        int syncEvery = StepsPer(scenario.Hpa.SyncPeriodSeconds);
        int pollEvery = StepsPer(keda.PollingIntervalSeconds);
        int sampleEvery = StepsPer(options.SampleIntervalSeconds);
        var hpa = new HorizontalPodAutoscaler(scenario.Hpa);
        var activation = new KedaActivationLoop(keda);
        var timeline = new List<TimelineSample>(steps / sampleEvery + 1);

        double published = 0;
        double? lastPublish = null;
        if (options.InitialBacklog > 0)
        {
            _ready.Enqueue(new MessageCohort(options.InitialBacklog, 0, 0));
            published = options.InitialBacklog;
            lastPublish = 0;
        }

        if (options.InitialRunningPods > 0)
        {
            _groups.Add(new PodGroup(options.InitialRunningPods, 0, 0) { State = PodState.Running });
        }

        double cachedMetric = 0, podSeconds = 0, peakBacklog = 0, peakReady = 0, lastBacklogSeen = 0;
        int peakPods = 0;
        double now = 0;
        for (int step = 0; step < steps; step++)
        {
            now = step * _step;
            double rate = scenario.Profile.RateAt(now);
            if (rate > 0)
            {
                _ready.Enqueue(new MessageCohort(rate * _step, now, 0));
                published += rate * _step;
                lastPublish = now;
            }

            foreach (PodGroup group in _groups)
            {
                if (group.State == PodState.Starting && now >= group.ReadySeconds)
                {
                    group.State = PodState.Running;
                }

                if (group.State != PodState.Starting)
                {
                    Process(group, now);
                }
            }

            RetireDrainedPods(now, options.TerminationGraceSeconds);
            Deliver();
            foreach (PodGroup group in _groups)
            {
                if (group.State == PodState.Running)
                {
                    StartWork(group, now);
                }
            }

            if (options.Autoscale)
            {
                double metric = QueueMetric(keda.Metric);
                if (step % pollEvery == 0)
                {
                    cachedMetric = metric;
                    if (activation.Poll(now, DesiredReplicas(), metric) is { } replicas)
                    {
                        SetReplicas(replicas, now);
                    }
                }

                // The HPA syncs at zero replicas too (it records the size and reports ScalingDisabled).
                if (step % syncEvery == 0)
                {
                    int current = DesiredReplicas();
                    double seen = keda.UseCachedMetrics ? cachedMetric : metric;
                    int desired = hpa.Reconcile(now, current, seen, keda.TargetValue, keda.HpaMinReplicas, keda.MaxReplicaCount);
                    SetReplicas(desired, now);
                }
            }

            int alive = _groups.Sum(g => g.Count);
            podSeconds += alive * _step;
            peakPods = Math.Max(peakPods, alive);
            double unacked = Unacknowledged();
            double backlog = _ready.Total + unacked;
            peakBacklog = Math.Max(peakBacklog, backlog);
            peakReady = Math.Max(peakReady, _ready.Total);
            if (backlog >= EmptyBelow)
            {
                lastBacklogSeen = now + _step;
            }

            if ((step + 1) % sampleEvery == 0)
            {
                timeline.Add(Sample(now + _step, rate, unacked, options.SampleIntervalSeconds));
            }

            if (options.StopWhenDrained && backlog < EmptyBelow && scenario.Profile.RateAt(now + _step) <= 0 && lastPublish is not null)
            {
                now += _step;
                break;
            }

            now = (step + 1) * _step;
        }

        // Fluid arithmetic can leave -1e-12; report it as the zero it is.
        double left = Math.Max(0, _ready.Total + Unacknowledged());
        double worst = _latencies.MaxSeconds;
        if (left >= EmptyBelow && OldestWaitingArrival() is { } oldest)
        {
            // Messages still queued at the end have waited at least this long; a worst case must not ignore them.
            worst = Math.Max(worst, now - oldest);
        }

        double? timeToDrain = left < EmptyBelow && lastPublish is { } last ? Math.Max(0, lastBacklogSeen - last) : null;
        var summary = new SimulationSummary(
            published,
            _acked,
            left,
            peakBacklog,
            peakReady,
            worst,
            _latencies.Quantile(0.99),
            _latencies.Quantile(0.50),
            timeToDrain,
            lastPublish ?? 0,
            peakPods,
            podSeconds,
            _capacity.ThroughputPerPod > 0 ? _acked / _capacity.ThroughputPerPod : 0,
            now);
        return new SimulationResult(scenario, summary, timeline);
    }

    private int StepsPer(double seconds) => Math.Max(1, (int)Math.Round(seconds / _step));

    /// <summary>Finishes I/O that is due, then spends this step's CPU on the oldest finished I/O; each finished message is acked.</summary>
    private void Process(PodGroup group, double now)
    {
        while (!group.InIo.IsEmpty && group.InIo.Front.DueSeconds <= now + 1e-9)
        {
            group.AwaitingCpu.Enqueue(group.InIo.TakeFromFront(double.MaxValue));
        }

        double budget = _capacity.CpuMessagesPerSecond * _step;
        while (budget > 1e-12 && !group.AwaitingCpu.IsEmpty)
        {
            MessageCohort done = group.AwaitingCpu.TakeFromFront(budget);
            budget -= done.Amount;
            double amount = done.Amount * group.Count;
            double latency = now + _step - done.ArrivalSeconds;
            _acked += amount;
            _ackedThisSample += amount;
            _latencies.Add(latency, amount);
            if (amount >= 1e-3 && !(latency <= _worstLatencyThisSample))
            {
                _worstLatencyThisSample = latency;
            }
        }
    }

    /// <summary>
    /// Removes draining pods once they hold nothing; past the termination grace period the kubelet kills them
    /// and the broker requeues what they still held.
    /// </summary>
    private void RetireDrainedPods(double now, double graceSeconds)
    {
        for (int i = _groups.Count - 1; i >= 0; i--)
        {
            PodGroup group = _groups[i];
            if (group.State != PodState.Draining)
            {
                continue;
            }

            if (group.Held * group.Count < 1e-9)
            {
                _groups.RemoveAt(i);
            }
            else if (now - group.DrainStartedSeconds >= graceSeconds)
            {
                Requeue(group.InIo, group.Count);
                Requeue(group.AwaitingCpu, group.Count);
                _groups.RemoveAt(i);
            }
        }
    }

    private void Deliver()
    {
        double totalFree = 0;
        foreach (PodGroup group in _groups)
        {
            if (group.State == PodState.Running)
            {
                totalFree += FreePrefetch(group) * group.Count;
            }
        }

        double toDeliver = Math.Min(Math.Min(_ready.Total, totalFree), scenario.Queues.DeliveryLimit(_step));
        while (toDeliver > 1e-12 && !_ready.IsEmpty)
        {
            MessageCohort piece = _ready.TakeFromFront(toDeliver);
            toDeliver -= piece.Amount;
            foreach (PodGroup group in _groups)
            {
                double free = group.State == PodState.Running ? FreePrefetch(group) * group.Count : 0;
                if (free > 0)
                {
                    group.Prefetched.Enqueue(piece with { Amount = piece.Amount * free / totalFree / group.Count });
                }
            }

            totalFree -= piece.Amount;
            if (totalFree <= 1e-12)
            {
                break;
            }
        }
    }

    private double FreePrefetch(PodGroup group) => Math.Max(0, _capacity.HoldLimit - group.Held);

    private void StartWork(PodGroup group, double now)
    {
        double slots = _capacity.Concurrency - group.Active;
        while (slots > 1e-12 && !group.Prefetched.IsEmpty)
        {
            MessageCohort started = group.Prefetched.TakeFromFront(slots);
            slots -= started.Amount;
            group.InIo.Enqueue(started with { DueSeconds = now + _capacity.IoLatencySeconds });
        }
    }

    /// <summary>
    /// Applies a new Deployment replica count. Removal follows the ReplicaSet's preference for pods that are
    /// not ready yet, then the newest; removed running pods stop consuming, requeue what they had not started
    /// and finish the rest (graceful drain).
    /// </summary>
    private void SetReplicas(int replicas, double now)
    {
        int current = DesiredReplicas();
        if (replicas > current)
        {
            var created = new PodGroup(replicas - current, now, now + _capacity.StartupSeconds);
            if (_capacity.StartupSeconds <= 0)
            {
                created.State = PodState.Running;
            }

            _groups.Add(created);
            return;
        }

        int toRemove = current - replicas;
        foreach (PodState state in new[] { PodState.Starting, PodState.Running })
        {
            for (int i = _groups.Count - 1; i >= 0 && toRemove > 0; i--)
            {
                PodGroup group = _groups[i];
                if (group.State != state)
                {
                    continue;
                }

                int take = Math.Min(toRemove, group.Count);
                toRemove -= take;
                if (state == PodState.Starting)
                {
                    if (take == group.Count)
                    {
                        _groups.RemoveAt(i);
                    }
                    else
                    {
                        group.Count -= take;
                    }

                    continue;
                }

                PodGroup leaving = take == group.Count ? group : group.Split(take);
                if (!ReferenceEquals(leaving, group))
                {
                    _groups.Add(leaving);
                }

                leaving.State = PodState.Draining;
                leaving.DrainStartedSeconds = now;
                Requeue(leaving.Prefetched, leaving.Count);
            }
        }
    }

    private void Requeue(CohortFifo held, int pods)
    {
        List<MessageCohort> cohorts = held.DrainAll();
        for (int i = cohorts.Count - 1; i >= 0; i--)
        {
            _ready.PushFront(cohorts[i] with { Amount = cohorts[i].Amount * pods, DueSeconds = 0 });
        }
    }

    private int DesiredReplicas()
    {
        int replicas = 0;
        foreach (PodGroup group in _groups)
        {
            if (group.State != PodState.Draining)
            {
                replicas += group.Count;
            }
        }

        return replicas;
    }

    private double Unacknowledged()
    {
        double held = 0;
        foreach (PodGroup group in _groups)
        {
            held += group.Held * group.Count;
        }

        return held;
    }

    private double QueueMetric(QueueMetricSource source) =>
        scenario.Queues.MetricSeenByHpa(source == QueueMetricSource.ReadyOnly ? _ready.Total : _ready.Total + Unacknowledged());

    private double? OldestWaitingArrival()
    {
        double? oldest = _ready.IsEmpty ? null : _ready.Front.ArrivalSeconds;
        foreach (PodGroup group in _groups)
        {
            foreach (CohortFifo queue in new[] { group.AwaitingCpu, group.InIo, group.Prefetched })
            {
                if (!queue.IsEmpty && (oldest is null || queue.Front.ArrivalSeconds < oldest))
                {
                    oldest = queue.Front.ArrivalSeconds;
                }
            }
        }

        return oldest;
    }

    private TimelineSample Sample(double time, double rate, double unacked, double interval)
    {
        int readyPods = 0, starting = 0, draining = 0;
        foreach (PodGroup group in _groups)
        {
            switch (group.State)
            {
                case PodState.Running:
                    readyPods += group.Count;
                    break;
                case PodState.Starting:
                    starting += group.Count;
                    break;
                default:
                    draining += group.Count;
                    break;
            }
        }

        var sample = new TimelineSample(time, rate, _ackedThisSample / interval, _ready.Total, unacked, readyPods + starting, readyPods, starting, draining, _worstLatencyThisSample);
        _ackedThisSample = 0;
        _worstLatencyThisSample = double.NaN;
        return sample;
    }
}

using System.CommandLine;
using System.Globalization;
using QueueInference.Cli.CommandLine;
using QueueInference.Cli.Planning.Autoscaling;

namespace QueueInference.Cli.Planning;

/// <summary>
/// <c>qi plan</c>: simulate KEDA + HPA scaling of the queue consumers with a measured per-pod capacity,
/// recommend the ScaledObject's settings, or check the simulator against a benchmark's one-pod drain.
/// </summary>
public static class PlanCommand
{
    public static Command Create()
    {
        // Durations are strings read by PlanningUnits.ParseSeconds: 90s, 500ms, 5m, 1h or hh:mm:ss (a bare number is refused).
        Option<string> mode = new("--mode") { Description = "worker | functions | compare (both hosts, same load, side by side)", DefaultValueFactory = _ => "worker" };
        mode.AcceptOnlyFromAmong("worker", "functions", "compare");
        Option<string> profile = new("--profile") { Description = "step:A->B@T[..T2] | ramp:A->B@T1..T2 | spike:BASE->PEAK@T+D | sine:MEAN,AMP,PERIOD | csv:PATH; rates in msg/s or Nx (N pods' worth)", DefaultValueFactory = _ => PlanDefaults.SeedProfile };
        Option<string> duration = new("--duration") { Description = "simulated time", DefaultValueFactory = _ => "30m" };
        Option<string> timeStep = new("--time-step") { Description = "fixed simulation step", DefaultValueFactory = _ => "100ms" };

        Option<string?> capacityFrom = new("--capacity-from") { Description = "benchmark results JSON (issue 5): capacity, in-flight, I/O and cold start of one pod" };
        Option<string> capacityScenario = new("--capacity-scenario") { Description = "scenario of --capacity-from to use", DefaultValueFactory = _ => "seed" };
        Option<double?> capacity = new("--capacity") { Description = "msg/s one pod's CPU finishes (overrides the results file)" };
        Option<int?> maxInFlight = new("--max-in-flight") { Description = $"worker Consumer:MaxInFlight (and prefetch); default {PlanDefaults.WorkerMaxInFlight}" };
        Option<int?> prefetch = new("--prefetch") { Description = $"functions host prefetch; default {PlanDefaults.FunctionsPrefetch}" };
        Option<string?> ioLatency = new("--io-latency") { Description = $"I/O step per message; default {PlanDefaults.IoLatencySeconds} s" };
        Option<string?> startupDelay = new("--startup-delay") { Description = $"pod creation to consuming; default {PlanDefaults.StartupSeconds} s (assumed)" };

        Option<double> value = new("--value") { Description = $"trigger value: messages per replica (AverageValue target); 0 = the chart's default for the host (worker {PlanDefaults.ChartWorkerValue}, functions {PlanDefaults.ChartFunctionsValue})", DefaultValueFactory = _ => 0 };
        Option<double> activationValue = new("--activation-value") { Description = "activationValue: metric above it activates from zero", DefaultValueFactory = _ => 0 };
        Option<string> pollingInterval = new("--polling-interval") { Description = "pollingInterval", DefaultValueFactory = _ => "30s" };
        Option<string> cooldownPeriod = new("--cooldown-period") { Description = "cooldownPeriod before scaling to zero", DefaultValueFactory = _ => "300s" };
        Option<int> minReplicas = new("--min-replicas") { Description = "minReplicaCount (0 = scale to zero)", DefaultValueFactory = _ => 0 };
        Option<int> maxReplicas = new("--max-replicas") { Description = "maxReplicaCount", DefaultValueFactory = _ => 100 };
        Option<string> protocol = new("--protocol") { Description = "amqp (metric = ready) | http (metric = ready + unacked)", DefaultValueFactory = _ => "amqp" };
        protocol.AcceptOnlyFromAmong("amqp", "http");
        Option<bool> excludeUnacked = new("--exclude-unacked") { Description = "http only: excludeUnacknowledged=true (metric = ready)" };
        Option<bool> useCachedMetrics = new("--use-cached-metrics") { Description = "useCachedMetrics: the HPA sees the last poll's value" };

        Option<double> tolerance = new("--tolerance") { Description = "HPA tolerance", DefaultValueFactory = _ => 0.1 };
        Option<string> syncPeriod = new("--hpa-sync-period") { Description = "HPA sync period", DefaultValueFactory = _ => "15s" };
        Option<string> hpaBehavior = new("--hpa-behavior") { Description = "explicit (advanced.horizontalPodAutoscalerConfig.behavior set, from the flags below) | none (no behavior: the HPA's older max(2x, 4) rule)", DefaultValueFactory = _ => "explicit" };
        hpaBehavior.AcceptOnlyFromAmong("explicit", "none");
        Option<string> upStabilization = new("--scale-up-stabilization") { Description = "behavior.scaleUp.stabilizationWindowSeconds", DefaultValueFactory = _ => "0s" };
        Option<int> upPods = new("--scale-up-pods") { Description = "behavior.scaleUp Pods policy value", DefaultValueFactory = _ => 4 };
        Option<int> upPercent = new("--scale-up-percent") { Description = "behavior.scaleUp Percent policy value", DefaultValueFactory = _ => 100 };
        Option<string> upPeriod = new("--scale-up-period") { Description = "behavior.scaleUp policies' periodSeconds", DefaultValueFactory = _ => "15s" };
        Option<string> downStabilization = new("--scale-down-stabilization") { Description = "behavior.scaleDown.stabilizationWindowSeconds", DefaultValueFactory = _ => "300s" };
        Option<int> downPercent = new("--scale-down-percent") { Description = "behavior.scaleDown Percent policy value", DefaultValueFactory = _ => 100 };
        Option<string> downPeriod = new("--scale-down-period") { Description = "behavior.scaleDown policy periodSeconds", DefaultValueFactory = _ => "15s" };
        Option<int> queues = new("--queues") { Description = "partitioned queues the consumers read (evenly loaded)", DefaultValueFactory = _ => 1 };
        Option<double?> queueMaxRate = new("--queue-max-rate") { Description = "msg/s one queue can deliver (measure your broker); default: no limit" };
        Option<string> combine = new("--combine") { Description = "sum (one summed metric: useRegex+operation sum, or scalingModifiers) | max (one trigger per queue; the HPA takes the max)", DefaultValueFactory = _ => "sum" };
        combine.AcceptOnlyFromAmong("sum", "max");
        Option<string> terminationGrace = new("--termination-grace") { Description = "terminationGracePeriodSeconds: drain time before held messages are requeued", DefaultValueFactory = _ => "30s" };

        Option<bool> recommend = new("--recommend") { Description = "search value, pollingInterval (and worker in-flight limit) for the fewest pod-seconds meeting --target-wait" };
        Option<string> targetWait = new("--target-wait") { Description = "worst-case publish-to-ack latency the recommendation must meet", DefaultValueFactory = _ => "60s" };
        Option<string> capacityMargin = new("--capacity-margin") { Description = "the recommendation must also meet the target with pods this much slower (10% or 0.1)", DefaultValueFactory = _ => "10%" };
        Option<string?> valueCandidates = new("--value-candidates") { Description = "comma-separated values to search (default: 1-1.5-2-2.5-3-4-5-7 ladder)" };
        Option<string> pollingCandidates = new("--polling-candidates") { Description = "comma-separated polling intervals to search", DefaultValueFactory = _ => "5s,10s,15s,30s,60s" };
        Option<string?> inFlightCandidates = new("--max-in-flight-candidates") { Description = "comma-separated worker in-flight limits to search (default: from 1.1 x capacity x I/O time up to the current limit)" };

        Option<string?> validateAgainst = new("--validate-against") { Description = "benchmark results JSON: simulate each scenario's one-pod drain and compare with the measured drain" };
        Option<double> validateTolerance = new("--validate-tolerance") { Description = "allowed relative drain difference", DefaultValueFactory = _ => 0.10 };
        Option<string?> outDir = new("--out-dir") { Description = $"where PNG/JSON/CSV go (default {QiReports.DefaultDirectory}/<run id>)" };

        Command command = new("plan", "Simulate KEDA + HPA scaling on the queue with a measured per-pod capacity; recommend ScaledObject settings")
        {
            mode, profile, duration, timeStep, capacityFrom, capacityScenario, capacity, maxInFlight, prefetch, ioLatency, startupDelay,
            value, activationValue, pollingInterval, cooldownPeriod, minReplicas, maxReplicas, protocol, excludeUnacked, useCachedMetrics,
            tolerance, syncPeriod, hpaBehavior, upStabilization, upPods, upPercent, upPeriod, downStabilization, downPercent, downPeriod, terminationGrace,
            queues, queueMaxRate, combine,
            recommend, targetWait, capacityMargin, valueCandidates, pollingCandidates, inFlightCandidates, validateAgainst, validateTolerance, outDir,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            PlanRequest request;
            try
            {
                string modeName = parse.GetValue(mode)!;
                bool http = parse.GetValue(protocol) == "http";
                if (parse.GetValue(excludeUnacked) && !http)
                {
                    // KEDA rejects the combination too (rabbitmq_scaler.go Validate).
                    throw new FormatException("--exclude-unacked needs --protocol http");
                }

                var keda = new KedaSettings(
                    NotNegative(parse.GetValue(value), "--value"),
                    parse.GetValue(activationValue),
                    Positive(Seconds(parse, pollingInterval), "--polling-interval"),
                    Seconds(parse, cooldownPeriod),
                    parse.GetValue(minReplicas),
                    parse.GetValue(maxReplicas),
                    http && !parse.GetValue(excludeUnacked) ? QueueMetricSource.ReadyAndUnacknowledged : QueueMetricSource.ReadyOnly,
                    parse.GetValue(useCachedMetrics));
                int upPeriodSeconds = (int)Seconds(parse, upPeriod);
                var behavior = new HpaBehavior(
                    new ScalingRules((int)Seconds(parse, upStabilization), PolicySelection.Max,
                        [new(ScalingPolicyType.Pods, parse.GetValue(upPods), upPeriodSeconds), new(ScalingPolicyType.Percent, parse.GetValue(upPercent), upPeriodSeconds)]),
                    new ScalingRules((int)Seconds(parse, downStabilization), PolicySelection.Max,
                        [new(ScalingPolicyType.Percent, parse.GetValue(downPercent), (int)Seconds(parse, downPeriod))]));
                string runId = string.Create(CultureInfo.InvariantCulture, $"plan-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{modeName}");
                request = new PlanRequest(
                    modeName == "functions" ? PlanMode.Functions : PlanMode.Worker,
                    modeName == "compare",
                    parse.GetValue(profile)!,
                    Positive(Seconds(parse, duration), "--duration"),
                    Positive(Seconds(parse, timeStep), "--time-step"),
                    parse.GetValue(capacityFrom),
                    parse.GetValue(capacityScenario)!,
                    parse.GetValue(capacity) is { } cpu ? Positive(cpu, "--capacity") : null,
                    parse.GetValue(maxInFlight),
                    parse.GetValue(prefetch),
                    parse.GetValue(ioLatency) is not null ? Seconds(parse, ioLatency) : null,
                    parse.GetValue(startupDelay) is not null ? Seconds(parse, startupDelay) : null,
                    keda,
                    HpaSettings.KubernetesDefault with
                    {
                        Tolerance = parse.GetValue(tolerance),
                        SyncPeriodSeconds = Positive(Seconds(parse, syncPeriod), "--hpa-sync-period"),
                        Behavior = parse.GetValue(hpaBehavior) == "none" ? null : behavior,
                        DownscaleStabilizationSeconds = behavior.ScaleDown.StabilizationWindowSeconds,
                    },
                    new Simulation.QueueTopology(
                        parse.GetValue(queues) is var queueCount && queueCount >= 1 ? queueCount : throw new FormatException("--queues must be at least 1"),
                        parse.GetValue(queueMaxRate) is { } perQueue ? Positive(perQueue, "--queue-max-rate") : null,
                        parse.GetValue(combine) == "max" ? TriggerCombination.MaxOfTriggers : TriggerCombination.Sum),
                    Seconds(parse, terminationGrace),
                    parse.GetValue(recommend),
                    Seconds(parse, targetWait),
                    ParseFraction(parse.GetValue(capacityMargin)!, "--capacity-margin"),
                    parse.GetValue(valueCandidates) is { } values ? [.. SplitList(values).Select(v => Positive(double.Parse(v, CultureInfo.InvariantCulture), "--value-candidates"))] : null,
                    [.. SplitList(parse.GetValue(pollingCandidates)!).Select(p => Positive(Named(() => PlanningUnits.ParseSeconds(p), "--polling-candidates"), "--polling-candidates"))],
                    parse.GetValue(inFlightCandidates) is { } limits ? [.. SplitList(limits).Select(v => int.Parse(v, CultureInfo.InvariantCulture))] : null,
                    parse.GetValue(validateAgainst),
                    parse.GetValue(validateTolerance),
                    parse.GetValue(outDir) ?? QiReports.RunDirectory(runId),
                    runId);
            }
            catch (FormatException exception)
            {
                await Console.Error.WriteLineAsync($"error: {exception.Message}");
                return PlanRunner.ExitInvalidInput;
            }

            return await new PlanRunner(request, Console.Out).RunAsync(cancellationToken);
        });
        return command;
    }

    /// <summary>The duration given to <paramref name="option"/>, in seconds; an error names the option.</summary>
    private static double Seconds<T>(ParseResult parse, Option<T> option)
        where T : class? => Named(() => PlanningUnits.ParseSeconds(parse.GetValue(option) as string ?? string.Empty), option.Name);

    private static double Named(Func<double> parse, string option)
    {
        try
        {
            return parse();
        }
        catch (FormatException exception)
        {
            throw new FormatException($"{option} {exception.Message}", exception);
        }
    }

    private static double NotNegative(double number, string option) =>
        number >= 0 && double.IsFinite(number) ? number : throw new FormatException($"{option} must be 0 or a positive number");

    private static double Positive(double number, string option) =>
        number > 0 && double.IsFinite(number) ? number : throw new FormatException($"{option} must be a positive number");

    /// <summary>Reads <c>10%</c> or <c>0.1</c>; must lie in [0, 1).</summary>
    private static double ParseFraction(string text, string option)
    {
        string trimmed = text.Trim();
        bool percent = trimmed.EndsWith('%');
        if (!double.TryParse(percent ? trimmed[..^1] : trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            throw new FormatException($"{option} must be a fraction such as 10% or 0.1");
        }

        double fraction = percent ? number / 100 : number;
        return fraction is >= 0 and < 1 ? fraction : throw new FormatException($"{option} must be at least 0 and below 100%");
    }

    private static string[] SplitList(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

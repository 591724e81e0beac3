using System.Globalization;
using System.Text.Json;
using QueueInference.Cli.Planning.Autoscaling;
using QueueInference.Cli.Planning.Capacity;
using QueueInference.Cli.Planning.Output;
using QueueInference.Cli.Planning.Profiles;
using QueueInference.Cli.Planning.Recommendation;
using QueueInference.Cli.Planning.Simulation;

namespace QueueInference.Cli.Planning;

/// <summary>Carries out <c>qi plan</c>: resolve capacity, then validate, simulate, compare or recommend, and write the outputs.</summary>
public sealed class PlanRunner(PlanRequest request, TextWriter console)
{
    public const int ExitOk = 0;

    /// <summary>The recommendation found no setting meeting the target, or a simulated drain is outside the tolerance: the run's verdict failed, as a failed threshold of qi load.</summary>
    public const int ExitTargetMissed = 1;

    /// <summary>A usage error, as for every qi command.</summary>
    public const int ExitInvalidInput = 2;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        bool created = !Directory.Exists(request.OutDirectory);
        try
        {
            Directory.CreateDirectory(request.OutDirectory);
            console.WriteLine($"qi plan - run {request.RunId}");
            return request.ValidateAgainst is { } resultsPath
                ? await ValidateAsync(resultsPath, cancellationToken)
                : await PlanAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is FormatException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            await console.WriteLineAsync($"error: {exception.Message}");
            // A run that wrote nothing leaves no empty folder of its own behind.
            if (created && Directory.Exists(request.OutDirectory) && !Directory.EnumerateFileSystemEntries(request.OutDirectory).Any())
            {
                Directory.Delete(request.OutDirectory);
            }

            return ExitInvalidInput;
        }
    }

    private async Task<int> ValidateAsync(string resultsPath, CancellationToken cancellationToken)
    {
        IReadOnlyList<BenchmarkScenario> measured = BenchmarkResultsReader.Parse(await File.ReadAllTextAsync(resultsPath, cancellationToken), resultsPath);
        string capacityPath = request.CapacityFrom ?? resultsPath;
        IReadOnlyList<BenchmarkScenario> capacityScenarios = capacityPath == resultsPath
            ? measured
            : BenchmarkResultsReader.Parse(await File.ReadAllTextAsync(capacityPath, cancellationToken), capacityPath);
        BenchmarkScenario capacityScenario = BenchmarkResultsReader.Select(capacityScenarios, request.CapacityScenario, capacityPath);
        double seedRate = request.CpuCapacity ?? capacityScenario.SteadyRatePerSecond!.Value;
        string seedSource = request.CpuCapacity is null ? $"{capacityPath} {RateSource(capacityScenario)}" : "--capacity";

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one-pod drain check (worker host): pod capacity {seedRate:0.##} msg/s from {seedSource}; tolerance {request.ValidateTolerance:P0}"));
        console.WriteLine("a scenario doing other per-message work (transformationMode) is checked with its own steady rate: only its I/O and in-flight model is tested");
        console.WriteLine($"{"scenario",-16} {"backlog",8} {"in-flight",9} {"I/O s",6} {"capacity from",14} {"measured s",11} {"simulated s",12} {"ratio",7}  verdict");
        var comparisons = new List<object>();
        bool allWithin = true;
        int compared = 0;
        foreach (BenchmarkScenario scenario in measured)
        {
            if (DrainValidator.SkipReason(scenario) is { } reason)
            {
                console.WriteLine($"{scenario.Name,-16} skipped: {reason}");
                comparisons.Add(new { scenario = scenario.Name, skipped = reason });
                continue;
            }

            bool sameWork = request.CpuCapacity is not null
                || scenario.TransformationMode is null
                || capacityScenario.TransformationMode is null
                || string.Equals(scenario.TransformationMode, capacityScenario.TransformationMode, StringComparison.OrdinalIgnoreCase);
            double rate = sameWork ? seedRate : scenario.SteadyRatePerSecond!.Value;
            string rateFrom = request.CpuCapacity is not null ? "--capacity" : sameWork ? capacityScenario.Name : "own rate";
            string rateSource = sameWork ? seedSource : RateSource(scenario);
            DrainComparison comparison = DrainValidator.Compare(scenario, rate, request.TimeStepSeconds);
            bool within = comparison.IsWithin(request.ValidateTolerance);
            allWithin &= within;
            compared++;
            comparisons.Add(new { scenario = scenario.Name, capacityFrom = rateFrom, capacitySource = rateSource, capacity = rate, comparison.Backlog, comparison.MeasuredSeconds, comparison.SimulatedSeconds, comparison.Ratio, within });
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{scenario.Name,-16} {scenario.Backlog,8} {scenario.MaxInFlight,9} {scenario.IoDelaySeconds,6:0.##} {rateFrom,14} {comparison.MeasuredSeconds,11:0.##} {comparison.SimulatedSeconds,12:0.##} {comparison.Ratio,7:0.###}  {(within ? "within" : "OUTSIDE")}"));
        }

        string path = Path.Combine(request.OutDirectory, "validation.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { request.RunId, capacity = seedRate, capacitySource = seedSource, tolerance = request.ValidateTolerance, comparisons }, PlanJson.Options), cancellationToken);
        console.WriteLine($"outputs\n  {path}");
        if (compared == 0)
        {
            console.WriteLine($"verdict: no scenario in the file is a one-pod backlog drain (exit {ExitInvalidInput})");
            return ExitInvalidInput;
        }

        console.WriteLine(allWithin ? "verdict: every drain within tolerance" : $"verdict: at least one drain outside tolerance (exit {ExitTargetMissed})");
        return allWithin ? ExitOk : ExitTargetMissed;
    }

    private async Task<int> PlanAsync(CancellationToken cancellationToken)
    {
        BenchmarkScenario? measured = null;
        if (request.CapacityFrom is { } capacityPath)
        {
            IReadOnlyList<BenchmarkScenario> scenarios = BenchmarkResultsReader.Parse(await File.ReadAllTextAsync(capacityPath, cancellationToken), capacityPath);
            measured = BenchmarkResultsReader.Select(scenarios, request.CapacityScenario, capacityPath);
        }

        double cpu = request.CpuCapacity ?? measured?.SteadyRatePerSecond
            ?? throw new ArgumentException("give the pod's capacity: --capacity <msg/s> or --capacity-from <benchmark results.json>");
        string cpuSource = request.CpuCapacity is null ? $"{request.CapacityFrom} {RateSource(measured!)}" : "--capacity";
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pod capacity {cpu:0.##} msg/s from {cpuSource}"));
        PodCapacity worker = CapacityFor(PlanMode.Worker, cpu, measured);
        PodCapacity functions = CapacityFor(PlanMode.Functions, cpu, measured);

        if (request.CompareModes)
        {
            return await CompareAsync(worker, functions, cpuSource, cancellationToken);
        }

        PodCapacity capacity = request.Mode == PlanMode.Worker ? worker : functions;
        ScaleScenario scenario = ScenarioFor(request.Mode, capacity, capacity.ThroughputPerPod);
        SimulationResult baseline = QueueSimulator.Run(scenario);
        string label = request.Mode.ToString().ToLowerInvariant();
        PlanConsoleReport.WriteScenario(console, label, scenario);
        WarnIfBrokerBound(scenario, baseline);
        PlanConsoleReport.WriteSummary(console, "summary (settings as given)", baseline.Summary);

        SimulationResult plotted = baseline;
        ScaleRecommendation? recommendation = null;
        if (request.Recommend)
        {
            recommendation = Recommend(scenario, request.Mode);
            plotted = QueueSimulator.Run(Apply(scenario, recommendation));
            PlanConsoleReport.WriteRecommendation(console, recommendation, scenario);
            PlanConsoleReport.WriteSummary(console, "summary (recommended settings)", plotted.Summary);
            await File.WriteAllTextAsync(Path.Combine(request.OutDirectory, "candidates.csv"), CandidatesCsvWriter.Format(recommendation.Evaluated), cancellationToken);
        }

        string heading = request.Recommend ? $"{label}: recommended settings" : $"{label}: settings as given";
        string png = Path.Combine(request.OutDirectory, "plan.png");
        PlanPlotter.SavePng(png, [($"{heading} - {scenario.Profile.Description}", plotted)], request.TargetWaitSeconds);
        await File.WriteAllTextAsync(Path.Combine(request.OutDirectory, "timeline.csv"), TimelineCsvWriter.Format(plotted.Timeline), cancellationToken);
        string json = Path.Combine(request.OutDirectory, "plan.json");
        var report = new
        {
            request.RunId,
            mode = label,
            profile = scenario.Profile.Description,
            capacitySource = cpuSource,
            capacity = scenario.Capacity,
            throughputPerPod = scenario.Capacity.ThroughputPerPod,
            keda = scenario.Keda,
            hpa = scenario.Hpa,
            summary = baseline.Summary,
            recommendation = recommendation is null ? null : new
            {
                value = recommendation.Best.Value,
                pollingInterval = recommendation.Best.PollingIntervalSeconds,
                maxInFlight = request.Mode == PlanMode.Worker ? recommendation.Best.MaxInFlight : (int?)null,
                maxReplicaCount = recommendation.MaxReplicaCount,
                activationValue = scenario.Keda.ActivationValue,
                cooldownPeriod = scenario.Keda.CooldownPeriodSeconds,
                targetWorstLatencySeconds = recommendation.TargetWorstLatencySeconds,
                capacityMargin = recommendation.CapacityMargin,
                worstLatencyWithSlowerPodsSeconds = recommendation.Best.WorstLatencyWithSlowerPodsSeconds,
                recommendation.TargetMet,
                candidatesEvaluated = recommendation.Evaluated.Count,
                summary = plotted.Summary,
            },
        };
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, PlanJson.Options), cancellationToken);
        PlanConsoleReport.WriteOutputs(console, request.OutDirectory, recommendation is not null);
        if (recommendation is { TargetMet: false })
        {
            console.WriteLine("verdict: no candidate met the target worst-case latency (exit 2)");
            return ExitTargetMissed;
        }

        return ExitOk;
    }

    private async Task<int> CompareAsync(PodCapacity worker, PodCapacity functions, string capacitySource, CancellationToken cancellationToken)
    {
        // One load for both hosts, in the worker pod's units, so that the difference in pods is the host's alone.
        ScaleScenario workerScenario = ScenarioFor(PlanMode.Worker, worker, worker.ThroughputPerPod);
        ScaleScenario functionsScenario = ScenarioFor(PlanMode.Functions, functions, worker.ThroughputPerPod);
        ScaleRecommendation? workerRecommendation = null, functionsRecommendation = null;
        if (request.Recommend)
        {
            // Each host gets its own best settings for the same load; comparing both at one set of settings would
            // only show that a value fit for one host is wrong for the other.
            workerRecommendation = Recommend(workerScenario, PlanMode.Worker);
            functionsRecommendation = Recommend(functionsScenario, PlanMode.Functions);
            workerScenario = Apply(workerScenario, workerRecommendation);
            functionsScenario = Apply(functionsScenario, functionsRecommendation);
        }

        SimulationResult workerRun = QueueSimulator.Run(workerScenario);
        SimulationResult functionsRun = QueueSimulator.Run(functionsScenario);
        PlanConsoleReport.WriteScenario(console, "worker", workerScenario);
        if (workerRecommendation is not null)
        {
            PlanConsoleReport.WriteRecommendation(console, workerRecommendation, workerScenario);
        }

        PlanConsoleReport.WriteSummary(console, "summary (worker)", workerRun.Summary);
        PlanConsoleReport.WriteScenario(console, "functions", functionsScenario);
        if (functionsRecommendation is not null)
        {
            PlanConsoleReport.WriteRecommendation(console, functionsRecommendation, functionsScenario);
        }

        PlanConsoleReport.WriteSummary(console, "summary (functions)", functionsRun.Summary);
        double peakRate = workerRun.Timeline.Count == 0 ? 0 : workerRun.Timeline.Max(s => s.ArrivalRate);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pods needed at the peak of {peakRate:0.##} msg/s: worker {Math.Ceiling(peakRate / worker.ThroughputPerPod):0}, functions {Math.Ceiling(peakRate / functions.ThroughputPerPod):0} (x{(functions.ThroughputPerPod > 0 ? worker.ThroughputPerPod / functions.ThroughputPerPod : 0):0} per pod)"));

        string png = Path.Combine(request.OutDirectory, "compare.png");
        PlanPlotter.SavePng(png, [(Heading("worker", workerScenario, workerRun), workerRun), (Heading("functions", functionsScenario, functionsRun), functionsRun)], request.TargetWaitSeconds);
        await File.WriteAllTextAsync(Path.Combine(request.OutDirectory, "timeline-worker.csv"), TimelineCsvWriter.Format(workerRun.Timeline), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(request.OutDirectory, "timeline-functions.csv"), TimelineCsvWriter.Format(functionsRun.Timeline), cancellationToken);
        var report = new
        {
            request.RunId,
            profile = workerScenario.Profile.Description,
            capacitySource,
            worker = new { capacity = workerScenario.Capacity, throughputPerPod = worker.ThroughputPerPod, keda = workerScenario.Keda, recommendationTargetMet = workerRecommendation?.TargetMet, summary = workerRun.Summary },
            functions = new { capacity = functionsScenario.Capacity, throughputPerPod = functions.ThroughputPerPod, keda = functionsScenario.Keda, recommendationTargetMet = functionsRecommendation?.TargetMet, summary = functionsRun.Summary },
        };
        await File.WriteAllTextAsync(Path.Combine(request.OutDirectory, "compare.json"), JsonSerializer.Serialize(report, PlanJson.Options), cancellationToken);
        console.WriteLine($"outputs\n  {png}\n  {Path.Combine(request.OutDirectory, "compare.json")}\n  {Path.Combine(request.OutDirectory, "timeline-worker.csv")}\n  {Path.Combine(request.OutDirectory, "timeline-functions.csv")}");
        return ExitOk;
    }

    /// <summary>Where a scenario's steady rate came from, e.g. <c>scenario "seed" sustainedPerSecond</c>.</summary>
    private static string RateSource(BenchmarkScenario scenario) => $"scenario \"{scenario.Name}\" {scenario.SteadyRateField}";

    private static string Heading(string host, ScaleScenario scenario, SimulationResult run) => string.Create(CultureInfo.InvariantCulture,
        $"{host}: {scenario.Capacity.ThroughputPerPod:0.###} msg/s/pod, value {scenario.Keda.TargetValue:0.##} -> peak {run.Summary.PeakPods:N0} pods, worst {run.Summary.WorstLatencySeconds:0} s");

    /// <summary>Says when one queue (or the given number) cannot deliver the peak: more pods will not help, partitions will.</summary>
    private void WarnIfBrokerBound(ScaleScenario scenario, SimulationResult run)
    {
        double peakRate = run.Timeline.Count == 0 ? 0 : run.Timeline.Max(s => s.ArrivalRate);
        int needed = scenario.Queues.QueuesNeededFor(peakRate);
        if (needed > scenario.Queues.Queues)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warning: the peak of {peakRate:0} msg/s exceeds {scenario.Queues.Queues} queue(s) x {scenario.Queues.MaxDeliveriesPerSecondPerQueue:0} msg/s; partition into at least {needed} queues"));
        }
    }

    /// <summary>Flags win over the results file, which wins over the defaults.</summary>
    private PodCapacity CapacityFor(PlanMode mode, double cpu, BenchmarkScenario? measured)
    {
        double io = request.IoLatencySeconds ?? measured?.IoDelaySeconds ?? PlanDefaults.IoLatencySeconds;
        double startup = request.StartupSeconds ?? measured?.ColdStartSeconds ?? PlanDefaults.StartupSeconds;
        if (mode == PlanMode.Worker)
        {
            int inFlight = request.MaxInFlight ?? measured?.MaxInFlight ?? PlanDefaults.WorkerMaxInFlight;
            return new PodCapacity(cpu, inFlight, inFlight, io, startup, PlanDefaults.WorkerComputeWaitTargetSeconds);
        }

        return new PodCapacity(cpu, PlanDefaults.FunctionsConcurrency, request.Prefetch ?? PlanDefaults.FunctionsPrefetch, io, startup);
    }

    private ScaleScenario ScenarioFor(PlanMode mode, PodCapacity capacity, double onePodThroughput)
    {
        // value 0 means what the chart deploys for this host (keda.value 0 -> keda.recommended.<mode>.value).
        KedaSettings keda = request.Keda.TargetValue > 0 ? request.Keda : request.Keda with { TargetValue = PlanDefaults.ChartValue(mode) };
        var parser = new LoadProfileParser(onePodThroughput, File.ReadLines);
        ILoadProfile profile = parser.Parse(request.Profile);
        var options = SimulationOptions.Default with
        {
            DurationSeconds = request.DurationSeconds,
            TimeStepSeconds = request.TimeStepSeconds,
            TerminationGraceSeconds = request.TerminationGraceSeconds,
        };
        return new ScaleScenario(profile, capacity, keda, request.Hpa, options, request.Topology);
    }

    private ScaleRecommendation Recommend(ScaleScenario scenario, PlanMode mode)
    {
        PodCapacity capacity = scenario.Capacity;
        bool worker = mode == PlanMode.Worker;
        double perPod = capacity.ThroughputPerPod;
        IReadOnlyList<double> values = request.ValueCandidates
            ?? ScaleRecommender.ValueLadder(1, Math.Max(10, perPod * Math.Max(capacity.IoLatencySeconds, 1) * 20));
        IReadOnlyList<int> inFlights = !worker
            ? [capacity.Concurrency]
            : request.MaxInFlightCandidates ?? InFlightLadder(capacity);
        int uncapped = 100_000;
        console.WriteLine($"searching {values.Count} values x {request.PollingCandidates.Count} polling intervals x {inFlights.Count} in-flight limits = {values.Count * request.PollingCandidates.Count * inFlights.Count} simulations");
        return ScaleRecommender.Search(scenario, request.TargetWaitSeconds, values, request.PollingCandidates, inFlights, worker, uncapped, request.CapacityMargin);
    }

    /// <summary>
    /// In-flight limits around what Little's law needs to keep the CPU busy (capacity x I/O time), up to the
    /// current (or benchmarked) limit: fewer starves the CPU; more is not searched because the planner does not
    /// model memory, and the benchmark measured the pod's memory only up to its own limit.
    /// </summary>
    private static int[] InFlightLadder(PodCapacity capacity)
    {
        double needed = capacity.CpuMessagesPerSecond * capacity.IoLatencySeconds;
        double[] factors = [1.1, 1.25, 1.5, 2, 3, 5];
        // Rounded before the ceiling so that 3000 x 1.1 gives 3300, not 3400 from 33.000000000000004.
        return [.. factors.Select(f => (int)(Math.Ceiling(Math.Round(needed * f / 100, 6)) * 100))
            .Where(v => v > 0 && v <= capacity.Concurrency)
            .Append(capacity.Concurrency)
            .Distinct()
            .Order()];
    }

    private static ScaleScenario Apply(ScaleScenario scenario, ScaleRecommendation recommendation)
    {
        RecommendationCandidate best = recommendation.Best;
        return scenario with
        {
            Capacity = scenario.Capacity with
            {
                Concurrency = best.MaxInFlight,
                Prefetch = scenario.Capacity.Concurrency == scenario.Capacity.Prefetch ? best.MaxInFlight : scenario.Capacity.Prefetch,
            },
            Keda = scenario.Keda with { TargetValue = best.Value, PollingIntervalSeconds = best.PollingIntervalSeconds, MaxReplicaCount = recommendation.MaxReplicaCount },
        };
    }
}

using System.CommandLine;
using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Benchmarking;

/// <summary><c>qi bench</c>: the worker in a 1 CPU / 512 MiB pod, scenario by scenario, against an echo ceiling measured in the same run.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var broker = new Option<string?>("--broker", "-b") { Description = "use this broker instead of starting a private one (it must be otherwise idle)" };
        var brokerPort = new Option<int>("--broker-port") { Description = "AMQP port of the private broker; 0 picks a free one", DefaultValueFactory = _ => 0 };
        var worker = new Option<string>("--worker") { Description = "the worker: its native executable (scripts/bench.sh publishes it, as the image ships) or a Release build's dll", DefaultValueFactory = _ => "src/QueueInference.Worker/bin/Release/net10.0/QueueInference.Worker.dll" };
        var backlog = new Option<int>("--backlog", "-n") { Description = "requests pre-filled for the echo, seed and cpu-bound scenarios", DefaultValueFactory = _ => 100_000 };
        var cpuBacklog = new Option<int?>("--cpu-bound-backlog") { Description = "backlog of the cpu-bound scenario (default: --backlog)" };
        var oneBacklog = new Option<int>("--one-at-a-time-backlog") { Description = "backlog of the one-at-a-time scenario", DefaultValueFactory = _ => 5 };
        var steadySeconds = new Option<int>("--steady-seconds") { Description = "duration of the steady open-loop scenario", DefaultValueFactory = _ => 60 };
        var ioDelay = new Option<TimeSpan>("--io-delay") { Description = "the worker's simulated I/O step", DefaultValueFactory = _ => TimeSpan.FromSeconds(3) };
        var maxInFlight = new Option<int>("--max-in-flight") { Description = "the worker's Consumer:MaxInFlight and the echo's prefetch", DefaultValueFactory = _ => 20_000 };
        var scenarios = new Option<string[]>("--scenario", "-s") { Description = $"run these (repeatable); default {string.Join(", ", BenchSettings.DefaultScenarios)}; also {string.Join(", ", BenchSettings.ProductionScenarios)}, {string.Join(", ", BenchSettings.ModelScenarios)}" };
        var largeBacklog = new Option<int>("--large-backlog") { Description = $"requests of {BenchSettings.LargeRequestValues} values in the large scenario", DefaultValueFactory = _ => 15_000 };
        var mixedBacklog = new Option<int>("--mixed-backlog") { Description = "requests of the mixed scenario", DefaultValueFactory = _ => 100_000 };
        var mixedValues = new Option<string>("--mixed-values") { Description = "sizes of the mixed scenario's requests (as qi load --values; must include 5)", DefaultValueFactory = _ => "5:95,4096:5" };
        var blipInFlight = new Option<int>("--blip-in-flight") { Description = "blip scenarios and cluster-kill: disturb the broker once the worker holds this many requests (or half the backlog, if smaller)", DefaultValueFactory = _ => 5000 };
        var blipIoDelay = new Option<TimeSpan>("--blip-io-delay") { Description = "the worker's I/O step in blip-stop", DefaultValueFactory = _ => TimeSpan.FromSeconds(10) };
        var blipOutage = new Option<TimeSpan>("--blip-outage") { Description = "blip-stop: time between stop_app and start_app", DefaultValueFactory = _ => TimeSpan.FromSeconds(5) };
        var clusterNodeDown = new Option<TimeSpan>("--cluster-node-down") { Description = "cluster-kill: the killed node is started again after this long, while the worker runs (0: it stays down)", DefaultValueFactory = _ => TimeSpan.FromSeconds(30) };
        var modelHeavyBacklog = new Option<int>("--model-heavy-backlog") { Description = $"requests ({BenchSettings.ModelRequestValues} values each) of each model row", DefaultValueFactory = _ => 30_000 };
        var modelHeavyIoDelay = new Option<TimeSpan>("--model-heavy-io-delay") { Description = "the worker's I/O step in the model rows", DefaultValueFactory = _ => TimeSpan.Zero };
        var heavyModel = new Option<string?>("--heavy-model") { Description = $"the model rows' .onnx file (default: generate model-heavy into {BenchSettings.GeneratedModelsDirectory} with {BenchSettings.MakeModelScript})" };
        var timeout = new Option<TimeSpan>("--scenario-timeout") { Description = "give up on a scenario after this long", DefaultValueFactory = _ => TimeSpan.FromMinutes(15) };
        var workerEnv = new Option<string[]>("--worker-env") { Description = "KEY=VALUE added to every worker process's environment (repeatable), e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318" };
        var podCpuShares = new Option<int>("--pod-cpu-shares") { Description = $"the pods' CPU priority against the broker and this tool on the same machine, in cgroup v1 cpu.shares (converted to cpu.weight on v2); {PodLimits.MaxCpuShares} gives a pod its CPU whenever it can use it, as on a node of its own", DefaultValueFactory = _ => PodLimits.DefaultCpuShares };
        var output = new Option<string>("--output", "-o") { Description = "directory for benchmark.json, benchmark.md and the processes' logs", DefaultValueFactory = _ => "results" };
        var command = new Command("bench", "Benchmark the worker as a 1 CPU / 512 MiB pod: echo ceiling, seed, cpu-bound, steady, cold start, one-at-a-time.")
        {
            broker, brokerPort, worker, backlog, cpuBacklog, oneBacklog, steadySeconds, ioDelay, maxInFlight, scenarios, timeout, output,
            largeBacklog, mixedBacklog, mixedValues, blipInFlight, blipIoDelay, blipOutage, clusterNodeDown,
            modelHeavyBacklog, modelHeavyIoDelay, heavyModel, workerEnv, podCpuShares,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string[] chosen = parse.GetValue(scenarios) is { Length: > 0 } list ? list : [.. BenchSettings.DefaultScenarios];
            var settings = new BenchSettings
            {
                Broker = parse.GetValue(broker),
                BrokerPort = parse.GetValue(brokerPort),
                WorkerPath = Path.GetFullPath(parse.GetValue(worker)!),
                Backlog = parse.GetValue(backlog),
                CpuBoundBacklog = parse.GetValue(cpuBacklog),
                OneAtATimeBacklog = parse.GetValue(oneBacklog),
                SteadySeconds = parse.GetValue(steadySeconds),
                IoDelay = parse.GetValue(ioDelay),
                MaxInFlight = parse.GetValue(maxInFlight),
                // Always in the documented order: steady needs seed's throughput, ratios need the echo first.
                Scenarios = [.. BenchSettings.KnownScenarios.Where(chosen.Contains), .. chosen.Except(BenchSettings.KnownScenarios)],
                LargeBacklog = parse.GetValue(largeBacklog),
                MixedBacklog = parse.GetValue(mixedBacklog),
                MixedValues = parse.GetValue(mixedValues)!,
                BlipInFlight = parse.GetValue(blipInFlight),
                BlipStopIoDelay = parse.GetValue(blipIoDelay),
                BlipOutage = parse.GetValue(blipOutage),
                ClusterNodeDown = parse.GetValue(clusterNodeDown),
                ScenarioTimeout = parse.GetValue(timeout),
                OutputDirectory = parse.GetValue(output)!,
                ModelHeavyBacklog = parse.GetValue(modelHeavyBacklog),
                ModelHeavyIoDelay = parse.GetValue(modelHeavyIoDelay),
                HeavyModel = parse.GetValue(heavyModel),
                WorkerEnvironment = parse.GetValue(workerEnv) ?? [],
                PodCpuShares = parse.GetValue(podCpuShares),
            };
            using var signals = new TerminationSignals(cancellationToken);
            return await BenchOrchestrator.RunAsync(settings, RunConsole.ForStandardOutput("qi-bench", RunId.New()), signals.Token);
        });
        return command;
    }
}

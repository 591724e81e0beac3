using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace QueueInference.Cli.Benchmarking;

/// <summary><c>qi model-cost</c>: a model's inference cost per item by batch size, ONNX Runtime alone on one intra-op thread.</summary>
public static class ModelCostCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create()
    {
        var models = new Option<string[]>("--model", "-m") { Description = "an .onnx file (repeatable), e.g. models/generated/model-heavy.onnx", Required = true };
        var batches = new Option<string>("--batch") { Description = "batch sizes, comma-separated", DefaultValueFactory = _ => "1,4,16,64" };
        var rounds = new Option<int>("--rounds") { Description = "timed rounds per batch size; the fastest counts", DefaultValueFactory = _ => 15 };
        var roundTime = new Option<TimeSpan>("--round-time") { Description = "about how long one round runs", DefaultValueFactory = _ => TimeSpan.FromMilliseconds(200) };
        var sequence = new Option<int>("--symbolic-length") { Description = "length given to symbolic dimensions other than the batch one (a sequence length)", DefaultValueFactory = _ => 16 };
        var json = new Option<bool>("--json") { Description = "print JSON instead of a Markdown table" };
        var command = new Command("model-cost", "Time a model's inference per item by batch size with ONNX Runtime alone: one intra-op thread, random inputs, fastest of several rounds.")
        {
            models, batches, rounds, roundTime, sequence, json,
        };
        command.SetAction(parse =>
        {
            int[] sizes;
            try
            {
                sizes = ParseBatchSizes(parse.GetValue(batches)!);
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"error: --batch: {ex.Message}");
                return 2;
            }

            var results = new List<(string Model, IReadOnlyList<ModelCostRow> Rows)>();
            foreach (string model in parse.GetValue(models)!)
            {
                try
                {
                    // Relative to where qi runs, not to qi's own directory (where the worker resolves its model).
                    results.Add((model, ModelCost.Measure(Path.GetFullPath(model), sizes, parse.GetValue(rounds), parse.GetValue(roundTime), parse.GetValue(sequence))));
                }
                catch (Exception ex) when (ex is FileNotFoundException or InvalidOperationException or ArgumentException)
                {
                    Console.Error.WriteLine($"error: {model}: {ex.Message}");
                    return 2;
                }
            }

            Console.Out.Write(parse.GetValue(json) ? Json(results) : Markdown(sizes, results));
            return 0;
        });
        return command;
    }

    internal static int[] ParseBatchSizes(string text)
    {
        int[] sizes = [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        return sizes.Length > 0 && sizes.All(s => s >= 1)
            ? sizes
            : throw new FormatException($"'{text}' is not a comma-separated list of batch sizes of at least 1.");
    }

    /// <summary>One row per model: at each batch size the fastest round's µs per item, then the median round's and the CPU time's; last the CPU share.</summary>
    internal static string Markdown(IReadOnlyList<int> sizes, IReadOnlyList<(string Model, IReadOnlyList<ModelCostRow> Rows)> results)
    {
        var text = new System.Text.StringBuilder();
        text.Append("| model |").AppendJoin(string.Empty, sizes.Select(s => $" batch {s} |")).AppendLine(" CPU share |");
        text.Append("|---|").AppendJoin(string.Empty, sizes.Select(_ => "---:|")).AppendLine("---:|");
        foreach ((string model, IReadOnlyList<ModelCostRow> rows) in results)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {Path.GetFileName(model)} |");
            foreach (ModelCostRow row in rows)
            {
                text.Append(CultureInfo.InvariantCulture, $" {Micros(row.BestSecondsPerItem)} µs ({Micros(row.MedianSecondsPerItem)}; CPU {Micros(row.CpuSecondsPerItem)}) |");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $" {rows.Min(r => r.CpuShare):0.00}–{rows.Max(r => r.CpuShare):0.00} |");
        }

        return text.ToString();
    }

    private static string Micros(double seconds)
    {
        double micros = seconds * 1e6;
        return micros.ToString(micros >= 100 ? "0" : micros >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);
    }

    private static string Json(IReadOnlyList<(string Model, IReadOnlyList<ModelCostRow> Rows)> results) =>
        JsonSerializer.Serialize(
            results.Select(r => new { model = r.Model, rows = r.Rows }),
            JsonOptions) + Environment.NewLine;
}

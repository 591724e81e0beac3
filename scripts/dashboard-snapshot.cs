#:package ScottPlot
#:package SkiaSharp.NativeAssets.Linux.NoDependencies
#:property Nullable=enable
#:property TreatWarningsAsErrors=true

// Draws the Grafana dashboard (charts/queue-inference/files/grafana-dashboard.json) without Grafana: every panel's
// queries asked of a Prometheus' /api/v1/query_range over a time window, one chart per panel, laid out as the
// dashboard's grid (2 columns of 12 units). Grafana's variables get what "All" gives them; a query without data
// (kube-state-metrics and KEDA need a cluster) is named under its panel instead of drawn.
//   dotnet run scripts/dashboard-snapshot.cs -- PROMETHEUS_URL DASHBOARD_JSON START_UNIX END_UNIX OUT_PNG
// scripts/dashboard-snapshot.sh runs it after a qi load run against a private broker, worker and Prometheus.
using System.Globalization;
using System.Text.Json;
using ScottPlot;
using SkiaSharp;

if (args.Length != 5)
{
    Console.Error.WriteLine("usage: dotnet run scripts/dashboard-snapshot.cs -- PROMETHEUS_URL DASHBOARD_JSON START_UNIX END_UNIX OUT_PNG");
    return 2;
}

string prometheus = args[0].TrimEnd('/');
JsonElement dashboard = JsonDocument.Parse(File.ReadAllText(args[1])).RootElement;
double start = double.Parse(args[2], CultureInfo.InvariantCulture);
double end = double.Parse(args[3], CultureInfo.InvariantCulture);
string output = args[4];
const double Step = 2;
// What Grafana substitutes with "All" selected; $__rate_interval is at least four scrape intervals (1 s here).
var variables = new Dictionary<string, string> { ["$namespace"] = ".*", ["$scaledobject"] = ".*", ["$__rate_interval"] = "10s" };
const int UnitWidth = 75, RowHeight = 62;

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
JsonElement[] panels = [.. dashboard.GetProperty("panels").EnumerateArray()];
int canvasWidth = 24 * UnitWidth;
int canvasHeight = panels.Max(p => Grid(p, "y") + Grid(p, "h")) * RowHeight + 60;
using var surface = SKSurface.Create(new SKImageInfo(canvasWidth, canvasHeight));
SKCanvas canvas = surface.Canvas;
canvas.Clear(SKColors.White);
using (var font = new SKFont(SKTypeface.Default, 26))
using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
{
    canvas.DrawText($"{dashboard.GetProperty("title").GetString()}: {DateTimeOffset.FromUnixTimeSeconds((long)start):yyyy-MM-dd HH:mm:ss} to {DateTimeOffset.FromUnixTimeSeconds((long)end):HH:mm:ss} UTC, from Prometheus' query_range API (step {Step} s)", 16, 38, font, paint);
}

foreach (JsonElement panel in panels)
{
    var plot = new Plot();
    string unit = panel.GetProperty("fieldConfig").GetProperty("defaults").GetProperty("unit").GetString() ?? "short";
    bool log = panel.GetProperty("fieldConfig").GetProperty("defaults").GetProperty("custom").TryGetProperty("scaleDistribution", out JsonElement scale)
        && scale.GetProperty("type").GetString() == "log";
    HashSet<string> rightAxis = [.. panel.GetProperty("fieldConfig").GetProperty("overrides").EnumerateArray()
        .Where(o => o.GetProperty("properties").EnumerateArray().Any(p => p.GetProperty("id").GetString() == "custom.axisPlacement" && p.GetProperty("value").GetString() == "right"))
        .Select(o => o.GetProperty("matcher").GetProperty("options").GetString()!)];
    var empty = new List<string>();
    foreach (JsonElement target in panel.GetProperty("targets").EnumerateArray())
    {
        string expression = variables.Aggregate(target.GetProperty("expr").GetString()!, (text, v) => text.Replace(v.Key, v.Value, StringComparison.Ordinal));
        string legendFormat = target.GetProperty("legendFormat").GetString()!;
        JsonElement[] series = await QueryRangeAsync(expression);
        if (series.Length == 0)
        {
            empty.Add(legendFormat);
            continue;
        }

        foreach (JsonElement one in series)
        {
            string legend = Legend(legendFormat, one.GetProperty("metric"));
            (double X, double Y)[] points = [.. one.GetProperty("values").EnumerateArray()
                .Select(v => (X: v[0].GetDouble() - start, Y: Value(v[1].GetString()!, unit)))
                .Where(p => double.IsFinite(p.Y) && (!log || p.Y > 0))
                .Select(p => log ? (p.X, Math.Log10(p.Y)) : p)];
            if (points.Length == 0)
            {
                empty.Add(legend);
                continue;
            }

            var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
            scatter.LegendText = legend;
            scatter.MarkerSize = 0;
            scatter.LineWidth = 2;
            if (rightAxis.Contains(legendFormat))
            {
                scatter.Axes.YAxis = plot.Axes.Right;
                plot.Axes.Right.Label.Text = legend;
            }
        }
    }

    plot.Title(panel.GetProperty("title").GetString()!);
    plot.Axes.Bottom.Label.Text = empty.Count == 0 ? "seconds since the load started" : $"seconds since the load started; no data here (needs a cluster): {string.Join(", ", empty)}";
    plot.Axes.Left.Label.Text = unit switch { "reqps" => "requests/s", "s" => "ms (log scale)", "bytes" => "MiB", _ => string.Empty };
    if (log)
    {
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("0.###", CultureInfo.InvariantCulture),
        };
        plot.Axes.Left.TickGenerator = ticks;
    }

    plot.ShowLegend(Alignment.UpperRight);
    int width = Grid(panel, "w") * UnitWidth, height = Grid(panel, "h") * RowHeight;
    using SKBitmap image = SKBitmap.Decode(plot.GetImageBytes(width - 10, height - 10, ImageFormat.Png));
    canvas.DrawBitmap(image, (Grid(panel, "x") * UnitWidth) + 5, (Grid(panel, "y") * RowHeight) + 60 + 5);
}

using (SKImage snapshot = surface.Snapshot())
using (SKData png = snapshot.Encode(SKEncodedImageFormat.Png, 100))
using (FileStream file = File.Create(output))
{
    png.SaveTo(file);
}

Console.WriteLine($"wrote {output} ({panels.Length} panels)");
return 0;

async Task<JsonElement[]> QueryRangeAsync(string expression)
{
    string url = string.Create(CultureInfo.InvariantCulture, $"{prometheus}/api/v1/query_range?query={Uri.EscapeDataString(expression)}&start={start}&end={end}&step={Step}");
    JsonElement body = JsonDocument.Parse(await http.GetStringAsync(url)).RootElement;
    if (body.GetProperty("status").GetString() != "success")
    {
        throw new InvalidOperationException($"{expression}: {body}");
    }

    return [.. body.GetProperty("data").GetProperty("result").EnumerateArray()];
}

static double Value(string text, string unit)
{
    double value = double.Parse(text, CultureInfo.InvariantCulture);
    return unit switch { "s" => value * 1000, "bytes" => value / 1048576, _ => value };
}

static string Legend(string format, JsonElement labels)
{
    foreach (JsonProperty label in labels.EnumerateObject())
    {
        format = format.Replace("{{" + label.Name + "}}", label.Value.GetString(), StringComparison.Ordinal);
    }

    return format;
}

static int Grid(JsonElement panel, string key) => panel.GetProperty("gridPos").GetProperty(key).GetInt32();

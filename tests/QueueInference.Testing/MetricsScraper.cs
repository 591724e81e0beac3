using System.Globalization;
using System.Text.RegularExpressions;

namespace QueueInference.Testing;

/// <summary>Reads a worker's /metrics (Prometheus text format), once or sampled while a test runs.</summary>
public sealed class MetricsScraper(int port) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public string Url => $"http://127.0.0.1:{port}/metrics";

    /// <summary>The exposition now; empty when the endpoint does not answer (not listening yet, or gone).</summary>
    public async Task<string> ReadAsync()
    {
        try
        {
            return await _http.GetStringAsync(Url);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return string.Empty;
        }
    }

    /// <summary>The largest value each series reached, sampled every <paramref name="interval"/> until <paramref name="until"/> completes.</summary>
    public async Task<Dictionary<string, double>> PeaksAsync(IReadOnlyList<string> series, TimeSpan interval, Task until)
    {
        var peaks = series.ToDictionary(s => s, _ => 0.0);
        while (!until.IsCompleted)
        {
            string exposition = await ReadAsync();
            foreach (string name in series)
            {
                peaks[name] = Math.Max(peaks[name], Value(exposition, name));
            }

            await Task.WhenAny(until, Task.Delay(interval));
        }

        return peaks;
    }

    /// <summary>The value of one sample line; 0 when absent (a counter not yet touched).</summary>
    public static double Value(string exposition, string series)
    {
        Match match = Regex.Match(exposition, $"^{Regex.Escape(series)} (\\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    public void Dispose() => _http.Dispose();
}

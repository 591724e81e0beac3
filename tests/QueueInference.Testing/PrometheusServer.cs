using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;

namespace QueueInference.Testing;

/// <summary>
/// A Prometheus server of the test's own, from the installed Debian <c>prometheus</c> package: loopback only, a free
/// port, its TSDB in a temporary directory, scraping the given targets every second and evaluating the given rule
/// files every second. Deleted with its data when disposed.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly List<string> _log = [];

    private PrometheusServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        BaseUrl = $"http://127.0.0.1:{port}";
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join(Environment.NewLine, _log);
            }
        }
    }

    /// <summary>The prometheus binary on PATH (scripts/test.sh installs Debian's package when it is missing).</summary>
    public static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "prometheus"))
            .FirstOrDefault(File.Exists);

    /// <summary>Starts the server scraping <paramref name="targets"/> (host:port, /metrics) as job <paramref name="job"/> and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(string job, IReadOnlyList<string> targets, IReadOnlyList<string> ruleFiles, TimeSpan timeout)
    {
        string binary = FindBinary() ?? throw new InvalidOperationException(
            "prometheus is not installed, so the monitoring test cannot run its server. As root: apt-get install -y prometheus (scripts/test.sh does it).");
        string directory = Path.Combine(Path.GetTempPath(), $"qi-prometheus-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        string config = Path.Combine(directory, "prometheus.yml");
        // JSON is YAML: quoting every string keeps paths and targets intact.
        await File.WriteAllTextAsync(config, $$"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files: {{JsonSerializer.Serialize(ruleFiles)}}
            scrape_configs:
              - job_name: {{JsonSerializer.Serialize(job)}}
                static_configs:
                  - targets: {{JsonSerializer.Serialize(targets)}}
            """);
        int port = FreePort();
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (string argument in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=1h", "--log.level=warn",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var server = new PrometheusServer(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}."), directory, port);
        try
        {
            await server.WaitUntilReadyAsync(timeout);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An instant query (GET /api/v1/query); the answer's JSON, whatever its status, and the HTTP status code.</summary>
    public async Task<PrometheusAnswer> QueryAsync(string expression)
    {
        using HttpResponseMessage response = await _http.GetAsync($"{BaseUrl}/api/v1/query?query={Uri.EscapeDataString(expression)}");
        string text = await response.Content.ReadAsStringAsync();
        return new PrometheusAnswer(expression, (int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A range query (GET /api/v1/query_range) over [<paramref name="start"/>, <paramref name="end"/>].</summary>
    public async Task<PrometheusAnswer> QueryRangeAsync(string expression, DateTimeOffset start, DateTimeOffset end, TimeSpan step)
    {
        string url = string.Create(CultureInfo.InvariantCulture,
            $"{BaseUrl}/api/v1/query_range?query={Uri.EscapeDataString(expression)}&start={start.ToUnixTimeMilliseconds() / 1000.0}&end={end.ToUnixTimeMilliseconds() / 1000.0}&step={step.TotalSeconds}");
        using HttpResponseMessage response = await _http.GetAsync(url);
        string text = await response.Content.ReadAsStringAsync();
        return new PrometheusAnswer(expression, (int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>GET /api/v1/&lt;path&gt;'s data (rules, targets, ...).</summary>
    public async Task<JsonElement> ApiAsync(string path)
    {
        string text = await _http.GetStringAsync($"{BaseUrl}/api/v1/{path}");
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _http.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary directory is the system's to clear.
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited ({_process.ExitCode}):{Environment.NewLine}{Log}");
            }

            try
            {
                using HttpResponseMessage response = await _http.GetAsync($"{BaseUrl}/-/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"prometheus was not ready within {timeout}:{Environment.NewLine}{Log}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.Add(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;

namespace QueueInference.Pipeline.Tests.Support;

/// <summary>
/// The models models/make_model.py generates (never committed), built once per test run into the
/// test's output directory with Debian's python3-onnx, as the bench builds them.
/// </summary>
internal static class GeneratedModels
{
    private static readonly Lazy<string> Directory = new(Generate);

    public static string TextClassifier => Path.Combine(Directory.Value, "text-classifier.onnx");

    public static string TypedEcho => Path.Combine(Directory.Value, "typed-echo.onnx");

    /// <summary>The 64 -> 256 -> 256 -> 16 float32 MLP.</summary>
    public static string ModelLight => Path.Combine(Directory.Value, "model-light.onnx");

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "global.json")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("global.json not found above the test directory.");
        }
    }

    public static string Script => Path.Combine(RepositoryRoot, "models", "make_model.py");

    /// <summary>Runs make_model.py with <paramref name="arguments"/>; throws with its output when it fails.</summary>
    public static void RunScript(params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        start.ArgumentList.Add(Script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process python = Process.Start(start) ?? throw new InvalidOperationException("/usr/bin/python3 did not start.");
        Task<string> output = python.StandardOutput.ReadToEndAsync();
        string error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        if (python.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"models/make_model.py {string.Join(' ', arguments)} exited {python.ExitCode} (needs Debian's python3-onnx): {output.Result}{error}");
        }
    }

    private static string Generate()
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "generated-models");
        RunScript("--out", directory, "text-classifier", "typed-echo", "model-light");
        return directory;
    }
}

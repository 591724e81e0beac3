using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace QueueInference.Newcomer.IntegrationTests;

/// <summary>
/// A newcomer on a clean clone: the README's first steps, run as written in one shell (install qi, the demo,
/// a plan), must pass, leave their reports under qi-reports/, leave nothing else behind, and print nothing a
/// newcomer would have to ask about. The clone is of the committed HEAD: uncommitted edits are not in it.
/// </summary>
public sealed partial class FirstStepsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(15);

    [Fact]
    public void Commands_Readme_AreTheInstallTheDemoAndAPlan()
    {
        // Act
        IReadOnlyList<string> commands = ReadmeFirstSteps.Commands(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")));

        // Assert
        Assert.Collection(
            commands,
            install => Assert.Contains("dotnet tool update --global QueueInference.Cli", install, StringComparison.Ordinal),
            demo => Assert.Equal("scripts/demo.sh", demo),
            plan => Assert.StartsWith("qi plan ", plan, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FirstSteps_CleanClone_RunAsWrittenAndLeaveOnlyTheirReports()
    {
        // Arrange
        string root = RepositoryRoot();
        IReadOnlyList<string> commands = ReadmeFirstSteps.Commands(File.ReadAllText(Path.Combine(root, "README.md")));
        string workspace = Directory.CreateTempSubdirectory("qi-newcomer-").FullName;
        string clone = Path.Combine(workspace, "clone");
        string home = Path.Combine(workspace, "home");
        Directory.CreateDirectory(home);
        string[] demoFoldersBefore = DemoFolders();
        try
        {
            Assert.Equal(0, (await RunAsync("git", ["clone", "--quiet", root, clone], root, home)).ExitCode);

            // Act: one shell, the README's lines in order, stopping at the first that fails.
            (int exitCode, string transcript) = await RunAsync("bash", ["-e", "-c", string.Join('\n', commands)], clone, home);
            output.WriteLine(transcript);

            // Assert
            Assert.True(exitCode == 0, $"the first steps exited {exitCode}:\n{transcript}");
            string reports = Path.Combine(clone, "qi-reports");
            string load = Assert.Single(Directory.GetDirectories(reports, "load-*"));
            Assert.Equal(["csv", "json", "md", "png"], Directory.GetFiles(load).Select(f => Path.GetExtension(f)[1..]).Order(StringComparer.Ordinal));
            string plan = Assert.Single(Directory.GetDirectories(reports, "plan-*"));
            Assert.True(File.Exists(Path.Combine(plan, "plan.png")), "no plan.png");
            Assert.Contains($"report in qi-reports/{Path.GetFileName(load)}/", transcript, StringComparison.Ordinal);
            Assert.Contains($"qi-reports/{Path.GetFileName(plan)}/plan.png", transcript, StringComparison.Ordinal);
            Assert.Equal(string.Empty, (await RunAsync("git", ["status", "--porcelain", "--untracked-files=all"], clone, home)).Output);
            Assert.Equal(demoFoldersBefore, DemoFolders());
            string[] puzzling = [.. transcript.Split('\n').Where(line => Puzzling().IsMatch(line))];
            Assert.True(puzzling.Length == 0, $"lines a newcomer would have to ask about:\n{string.Join('\n', puzzling)}");
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    /// <summary>Stack traces, NaN, warnings, errors, failures, the SDK's PATH advice.</summary>
    [GeneratedRegex(@"^\s+at \S|Exception|NaN|(?i:\bwarn(ing)?\b|\berror|\bfailed\b|not currently on the PATH)")]
    private static partial Regex Puzzling();

    private static string[] DemoFolders() => [.. Directory.GetDirectories(Path.GetTempPath(), "qi-demo.*").Order(StringComparer.Ordinal)];

    /// <summary>
    /// Runs a command as the newcomer would, in a home directory of its own (the installed tool goes there, not
    /// into this machine's), with this machine's NuGet package folder (no download of what is already here) and
    /// without the SDK's first-run banner, which a newcomer's SDK has shown once before.
    /// </summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IReadOnlyList<string> arguments, string directory, string home)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        start.Environment["HOME"] = home;
        start.Environment["NUGET_PACKAGES"] = packages;
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false";
        start.Environment["DEMO_COUNT"] = "500";
        start.Environment.Remove("DOTNET_CLI_HOME");
        start.Environment.Remove("MSBUILDNOINPROCNODE");

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var transcript = new StringBuilder();
        var lines = new Lock();
        process.OutputDataReceived += (_, e) => { lock (lines) { transcript.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (lines) { transcript.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(Budget);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} ran longer than {Budget}:\n{transcript}");
        }

        process.WaitForExit();
        lock (lines)
        {
            return (process.ExitCode, transcript.ToString().TrimEnd());
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "QueueInference.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("QueueInference.slnx not found above the test directory.");
    }
}

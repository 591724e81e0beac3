namespace QueueInference.Worker.IntegrationTests;

/// <summary>Locations of the built worker and of files in and beside the repository.</summary>
internal static class RepositoryPaths
{
    /// <summary>The worker as it ships: native code, published beside the tests when they build (the project file).</summary>
    public static string Worker => Path.Combine(AppContext.BaseDirectory, "native-worker", "QueueInference.Worker");

    public static string Root
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

    /// <summary>The seed's original model, in the shared folder beside the repository.</summary>
    public static string SeedModel => Path.GetFullPath(Path.Combine(Root, "..", "shared", "seed", "model.onnx"));

    public static string SeedClientScript => Path.Combine(Root, "tests", "seed-client", "seed_client.py");
}

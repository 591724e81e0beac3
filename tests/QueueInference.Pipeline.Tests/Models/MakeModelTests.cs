using System.Security.Cryptography;
using QueueInference.Pipeline.Tests.Support;

namespace QueueInference.Pipeline.Tests.Models;

/// <summary>models/make_model.py is deterministic: the committed model and the generated ones come out byte for byte the same.</summary>
public sealed class MakeModelTests
{
    [Fact]
    public void MakeModel_SeedContractModel_RegeneratesTheCommittedFileByteForByte()
    {
        // Arrange
        string path = Path.Combine(Path.GetTempPath(), $"model-{Guid.NewGuid():N}.onnx");

        try
        {
            // Act
            GeneratedModels.RunScript(path);

            // Assert
            Assert.Equal(File.ReadAllBytes(Path.Combine(GeneratedModels.RepositoryRoot, "models", "model.onnx")), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MakeModel_GeneratedModelsTwice_SameBytes()
    {
        // Arrange: model-heavy (34 MB) is built the same way as model-light; the bench builds it.
        string first = Path.Combine(Path.GetTempPath(), $"models-{Guid.NewGuid():N}");
        string second = Path.Combine(Path.GetTempPath(), $"models-{Guid.NewGuid():N}");
        string[] names = ["model-light", "text-classifier", "typed-echo"];

        try
        {
            // Act
            GeneratedModels.RunScript(["--out", first, .. names]);
            GeneratedModels.RunScript(["--out", second, .. names]);

            // Assert
            foreach (string name in names)
            {
                byte[] bytes = File.ReadAllBytes(Path.Combine(first, $"{name}.onnx"));
                Assert.True(bytes.Length > 0);
                Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(File.ReadAllBytes(Path.Combine(second, $"{name}.onnx"))));
            }
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }
}

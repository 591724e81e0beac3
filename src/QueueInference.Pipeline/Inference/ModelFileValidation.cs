using Microsoft.Extensions.Options;

namespace QueueInference.Pipeline.Inference;

/// <summary>
/// Checks that <c>Inference:ModelPath</c> names a file when the settings are validated, before any hosted service
/// starts (the worker's HTTP endpoint included), so that a wrong path ends the start with its one line. A file that
/// is there but is not a model is found when the model loads.
/// </summary>
internal sealed class ModelFileValidation : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options) =>
        string.IsNullOrWhiteSpace(options.ModelPath) || File.Exists(options.FullModelPath)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Inference:ModelPath: {NoSuchFile(options.FullModelPath)}");

    /// <summary>The rule a missing model file breaks, with the path it was looked for at.</summary>
    internal static string NoSuchFile(string fullPath) => $"no such file ({fullPath}); a relative path is relative to the app's directory";
}

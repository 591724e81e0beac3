namespace QueueInference.Pipeline.Configuration;

/// <summary>
/// A setting whose value cannot work, found after binding (a model file that is not there): the host
/// reports it as one line naming the setting, its value and the rule, and exits with
/// <see cref="Hosting.ExitCodes.InvalidConfiguration"/>.
/// </summary>
public sealed class InvalidSettingException(string setting, string? value, string rule, Exception? innerException = null)
    : Exception($"{setting} = '{value}': {rule}", innerException)
{
    /// <summary>The setting's configuration key, such as <c>Inference:ModelPath</c>.</summary>
    public string Setting => setting;

    public string? Value => value;

    public string Rule => rule;
}

using System.ComponentModel.DataAnnotations;

namespace QueueInference.Pipeline.Configuration;

/// <summary>
/// A TimeSpan setting's bounds, written in the settings' own syntax (<c>[DurationRange("10ms", "24h")]</c>), and the
/// failure said in it too. <c>[Range(typeof(TimeSpan), ...)]</c> would do the same through a type converter looked up
/// at run time, which the native (AOT) worker cannot prove it keeps.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class DurationRangeAttribute(string minimum, string maximum) : ValidationAttribute
{
    public TimeSpan Minimum { get; } = Durations.Parse(minimum);

    public TimeSpan Maximum { get; } = Durations.Parse(maximum);

    public override bool IsValid(object? value) => value is not TimeSpan duration || (duration >= Minimum && duration <= Maximum);

    public override string FormatErrorMessage(string name) =>
        $"The field {name} must be between {Durations.Format(Minimum)} and {Durations.Format(Maximum)}.";
}

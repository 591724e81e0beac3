using System.ComponentModel;
using System.Globalization;

namespace QueueInference.Pipeline.Configuration;

/// <summary>
/// The TimeSpan converter that <see cref="Durations.UseForTimeSpanSettings"/> puts in front of .NET's own, so that
/// every bound TimeSpan option reads <see cref="Durations.AcceptedForms"/> and refuses a bare number.
/// Writing a TimeSpan out is unchanged.
/// </summary>
public sealed class DurationConverter : TimeSpanConverter
{
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? Durations.Parse(text) : base.ConvertFrom(context, culture, value);
}

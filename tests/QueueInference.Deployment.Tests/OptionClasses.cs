using System.Globalization;
using System.Reflection;
using QueueInference.Pipeline.Contract;
using QueueInference.Worker.Consuming;

namespace QueueInference.Deployment.Tests;

/// <summary>
/// The app's option classes, found by reflection so that a new class or property shows up without
/// editing this list: every public type of the pipeline and worker assemblies whose name ends in
/// "Options" and that declares its configuration section as <c>public const string SectionName</c>.
/// </summary>
internal static class OptionClasses
{
    /// <summary>Settings that must not appear under the chart's `config`: the connection string comes from the Secret.</summary>
    public static readonly IReadOnlySet<string> NotInChartConfig = new HashSet<string>(StringComparer.Ordinal) { "RabbitMQ.ConnectionString" };

    private static readonly Assembly[] Assemblies = [typeof(ContractOptions).Assembly, typeof(ConsumerOptions).Assembly];

    /// <summary>"Section.Property" of every public settable property, with the class's default formatted as the chart writes it.</summary>
    public static IReadOnlyDictionary<string, string> Defaults()
    {
        var defaults = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (Type type in Assemblies.SelectMany(a => a.GetExportedTypes()).Where(t => t.IsClass && t.Name.EndsWith("Options", StringComparison.Ordinal)))
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is not { IsLiteral: true } field)
            {
                continue;
            }
            string section = (string)field.GetRawConstantValue()!;
            object instance = Activator.CreateInstance(type)!;
            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
            {
                string key = $"{section}.{property.Name}";
                if (!NotInChartConfig.Contains(key))
                {
                    defaults[key] = Format(property.GetValue(instance));
                }
            }
        }
        return defaults;
    }

    /// <summary>
    /// A value as values.yaml spells it: null as "" (the chart's "not set"), TimeSpans in the
    /// invariant "c" format (hh:mm:ss; <see cref="Same"/> also takes the app's short forms such as 250ms),
    /// enums by name, booleans in lowercase, numbers invariant.
    /// </summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string text => text,
        bool flag => flag ? "true" : "false",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        Enum member => member.ToString(),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"No chart spelling for {value.GetType()}"),
    };

    /// <summary>Whether the chart's spelling means the class default: durations by value, anything else by spelling.</summary>
    public static bool Same(string chart, string classDefault) =>
        chart == classDefault
        || (TimeSpan.TryParse(classDefault, CultureInfo.InvariantCulture, out TimeSpan expected)
            && QueueInference.Pipeline.Configuration.Durations.TryParse(chart, out TimeSpan actual, out _)
            && actual == expected);
}

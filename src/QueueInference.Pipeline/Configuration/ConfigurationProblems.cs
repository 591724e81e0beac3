using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace QueueInference.Pipeline.Configuration;

/// <summary>
/// Turns what the configuration stack throws at start-up (the binder's conversion failures, options
/// validation, a malformed settings file, <see cref="InvalidSettingException"/>) into one line per problem
/// naming the setting, its value (redacted when secret) and the rule. Any other exception is not a
/// configuration problem and is left alone.
/// </summary>
public static partial class ConfigurationProblems
{
    /// <summary>One line per problem, or null when <paramref name="exception"/> is not (only) about configuration.</summary>
    public static IReadOnlyList<string>? Describe(Exception exception, IConfiguration? configuration)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var lines = new List<string>();
        return TryAdd(exception, configuration, lines) ? lines : null;
    }

    /// <summary>
    /// The problems of every settings section registered in <paramref name="services"/> (each options type registered
    /// with <see cref="SettingsSectionCheckExtensions.ValidateOnStartAsSection{TOptions}"/>), each section bound and
    /// validated on its own. The host stops at the first section the binder cannot read, and the worker reads its
    /// Consumer section while the host is built, so after a failed start this finds the problems of the other sections
    /// too. Within one section the binder still stops at the first value it cannot read.
    /// </summary>
    public static IReadOnlyList<string> DescribeAll(IServiceCollection services, IConfiguration? configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        SettingsSectionCheck[] sections = [.. services
            .Where(descriptor => !descriptor.IsKeyedService)
            .Select(descriptor => descriptor.ImplementationInstance)
            .OfType<SettingsSectionCheck>()
            .DistinctBy(section => section.OptionsType)];
        var lines = new List<string>();
        using ServiceProvider provider = services.BuildServiceProvider();
        foreach (SettingsSectionCheck section in sections)
        {
            try
            {
                section.Run(provider);
            }
            catch (Exception exception) when (Describe(exception, configuration) is { } problems)
            {
                // What is not about a setting is left to the failure that stopped the start.
                lines.AddRange(problems);
            }
        }

        return lines;
    }

    private static bool TryAdd(Exception exception, IConfiguration? configuration, List<string> lines)
    {
        switch (exception)
        {
            case AggregateException aggregate:
                return aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(inner => TryAdd(inner, configuration, lines));
            case TargetInvocationException { InnerException: { } inner }:
                return TryAdd(inner, configuration, lines);
            case InvalidSettingException invalid:
                lines.Add($"{SettingValues.Describe(invalid.Setting, configuration?[invalid.Setting] ?? invalid.Value)}: {invalid.Rule}");
                return true;
            case OptionsValidationException validation:
                lines.AddRange(validation.Failures.Select(failure => DescribeFailure(validation.OptionsType, failure, configuration)));
                return true;
            case InvalidOperationException when BinderFailure().Match(exception.Message) is { Success: true } match:
                string key = match.Groups["key"].Value;
                string? value = configuration is null ? match.Groups["value"].Value : configuration[key];
                lines.Add($"{SettingValues.Describe(key, value)}: {ConversionRule(match.Groups["type"].Value, exception.InnerException)}");
                return true;
            case InvalidDataException when SettingsFileFailure().Match(exception.Message) is { Success: true } file:
                lines.Add($"{file.Groups["path"].Value} cannot be read: {Innermost(exception).Message}");
                return true;
            default:
                return false;
        }
    }

    private static string DescribeFailure(Type optionsType, string failure, IConfiguration? configuration)
    {
        string section = SectionOf(optionsType);
        if (DataAnnotationFailure().Match(failure) is { Success: true } annotation)
        {
            string member = annotation.Groups["members"].Value.Split(',')[0].Trim();
            string key = $"{section}:{member.Replace('.', ':')}";
            string rule = annotation.Groups["error"].Value.TrimEnd('.');
            rule = rule.Replace($"The field {member} ", string.Empty, StringComparison.Ordinal)
                .Replace($"The {member} field ", string.Empty, StringComparison.Ordinal);
            // A TimeSpan range reads "between 00:00:00.0100000 and 1.00:00:00": say it in the settings' own syntax.
            rule = TimeSpanLiteral().Replace(rule, m => Durations.Format(TimeSpan.ParseExact(m.Value, "c", CultureInfo.InvariantCulture)));
            return $"{SettingValues.Describe(key, configuration?[key])}: {rule}";
        }

        // A rule about one setting, written "Inference:ModelPath: no such file (...)": the same line as the others.
        if (OneSettingRule().Match(failure) is { Success: true } own)
        {
            string key = own.Groups["key"].Value;
            return $"{SettingValues.Describe(key, configuration?[key])}: {own.Groups["rule"].Value.TrimEnd('.')}";
        }

        // A rule of our own (.Validate(..., "Retry:MaxDelay must not be shorter than Retry:InitialDelay.")):
        // show the value of every setting it names.
        string[] keys = [.. SettingKey().Matches(failure).Select(m => m.Value).Distinct()];
        string values = keys.Length == 0 || configuration is null
            ? string.Empty
            : $" ({string.Join(", ", keys.Select(k => $"{k} = {SettingValues.Display(k, configuration[k])}"))})";
        return $"{failure.TrimEnd('.')}{values}";
    }

    // Every options type's SectionName is its name without "Options" (a test checks): no reflection, which native code may lack.
    private static string SectionOf(Type optionsType) => optionsType.Name.Replace("Options", string.Empty, StringComparison.Ordinal);

    // The type is named in the binder's message; the options' property types are kept in the native worker because the
    // binder's Bind<TOptions> asks for all their members (its integration tests check these lines), and a type not
    // found falls back to the binder's own message.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Lookup by name with a fallback; see above.")]
    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "Lookup by name with a fallback; see above.")]
    private static string ConversionRule(string typeName, Exception? inner)
    {
        Type? type = Type.GetType(typeName)
            ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => inner?.Message ?? $"not a valid {typeName}",
            _ when type == typeof(TimeSpan) => inner?.Message ?? $"not a duration; write {Durations.AcceptedForms}",
            _ when type.IsEnum => $"must be one of {string.Join(", ", Enum.GetNames(type))}",
            _ when type == typeof(bool) => "must be true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => $"must be a whole number (at most {MaxOf(type)})",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "must be a number (with a dot for decimals)",
            _ => inner?.Message ?? $"not a valid {type.Name}",
        };
    }

    private static long MaxOf(Type type) => type == typeof(int) ? int.MaxValue : type == typeof(short) ? short.MaxValue : long.MaxValue;

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }

    // Microsoft.Extensions.Configuration.Binder's Error_FailedBinding; a test pins the format.
    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'\.$", RegexOptions.Singleline)]
    private static partial Regex BinderFailure();

    // Microsoft.Extensions.Options.DataAnnotations' failure text; a test pins the format.
    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '(?<members>[^']*)' with the error: '(?<error>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    // Microsoft.Extensions.Configuration.FileExtensions' Error_FailedToLoad.
    [GeneratedRegex(@"^Failed to load configuration from file '(?<path>.+)'\.$", RegexOptions.Singleline)]
    private static partial Regex SettingsFileFailure();

    [GeneratedRegex(@"\b[A-Z][A-Za-z0-9]*(:[A-Z][A-Za-z0-9]*)+\b")]
    private static partial Regex SettingKey();

    [GeneratedRegex(@"^(?<key>[A-Z][A-Za-z0-9]*(:[A-Z][A-Za-z0-9]*)+): (?<rule>.+)$", RegexOptions.Singleline)]
    private static partial Regex OneSettingRule();

    // TimeSpan's invariant "c" format, as RangeAttribute writes its bounds: [-][d.]hh:mm:ss[.fffffff].
    [GeneratedRegex(@"-?\b(\d+\.)?\d{2}:\d{2}:\d{2}(\.\d{1,7})?\b")]
    private static partial Regex TimeSpanLiteral();
}

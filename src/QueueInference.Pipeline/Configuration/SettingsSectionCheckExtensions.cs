using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace QueueInference.Pipeline.Configuration;

public static class SettingsSectionCheckExtensions
{
    /// <summary>Why the settings registrations may bind and validate by reflection in the native worker.</summary>
    public const string ReflectionBindingJustification =
        "Settings bind by reflection (the generated binder refuses 3s and 500ms); Bind and ValidateDataAnnotations keep every member of these options types, which hold only scalars, enums and strings, and the integration tests run the native worker.";

    /// <summary>
    /// Validates the section when the host starts and, when a start fails, lists its problems with every other
    /// section's (<see cref="ConfigurationProblems.DescribeAll"/>).
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateOnStartAsSection<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(this OptionsBuilder<TOptions> builder)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(SettingsSectionCheck.For<TOptions>());
        return builder.ValidateOnStart();
    }
}

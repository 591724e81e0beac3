using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace QueueInference.Pipeline.Configuration;

public static class SettingsSectionCheckExtensions
{
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

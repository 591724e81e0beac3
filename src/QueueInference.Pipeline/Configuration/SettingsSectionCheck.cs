using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace QueueInference.Pipeline.Configuration;

/// <summary>
/// One settings section that <see cref="ConfigurationProblems.DescribeAll"/> binds and validates on its own after a
/// failed start. Registered by <see cref="SettingsSectionCheckExtensions.ValidateOnStartAsSection{TOptions}"/>, so the
/// list is known without reflecting over the service collection (the worker is native code).
/// </summary>
public sealed class SettingsSectionCheck(Type optionsType, Action<IServiceProvider> bindAndValidate)
{
    public Type OptionsType { get; } = optionsType;

    /// <summary>Builds the section's options, throwing what the binder or the validation throws.</summary>
    public void Run(IServiceProvider services) => bindAndValidate(services);

    internal static SettingsSectionCheck For<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>()
        where TOptions : class =>
        new(typeof(TOptions), services => services.GetRequiredService<IOptionsFactory<TOptions>>().Create(Options.DefaultName));
}

using System.Reflection;
using Microsoft.AspNetCore.Builder;
using QueueInference.Pipeline;
using QueueInference.Pipeline.Configuration;
using QueueInference.Worker.Consuming;

namespace QueueInference.Worker.Tests.Configuration;

/// <summary>
/// ConfigurationProblems names a failed setting's section from its options type's name, and lists the other sections'
/// problems from the registered <see cref="SettingsSectionCheck"/>s, not by reflection (the worker is native code).
/// Both hold only while every settings section follows the convention and is registered that way.
/// </summary>
public sealed class SettingsSectionTests
{
    private static readonly Type[] SectionTypes =
    [
        .. from assembly in new[] { typeof(PipelineHostBuilderExtensions).Assembly, typeof(ConsumerOptions).Assembly }
           from type in assembly.GetTypes()
           where type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true }
           select type,
    ];

    [Fact]
    public void SectionName_EveryOptionsType_IsItsNameWithoutOptions()
    {
        // Arrange
        Assert.NotEmpty(SectionTypes);

        // Act
        string[] offenders =
        [
            .. from type in SectionTypes
               let section = (string)type.GetField("SectionName")!.GetRawConstantValue()!
               where type.Name != section + "Options"
               select $"{type.FullName}: {section}",
        ];

        // Assert
        Assert.Empty(offenders);
    }

    [Fact]
    public void WorkerRegistration_EverySettingsSection_IsCheckedAsASection()
    {
        // Arrange
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();

        // Act
        builder.AddInferencePipeline();
        builder.AddQueueConsumer();
        Type[] checkedSections = [.. builder.Services.Select(d => d.ImplementationInstance).OfType<SettingsSectionCheck>().Select(c => c.OptionsType)];

        // Assert
        Assert.Equal(SectionTypes.Select(t => t.FullName).Order(), checkedSections.Select(t => t.FullName).Distinct().Order());
    }
}

using System.Reflection;
using QueueInference.Pipeline.Processing;
using QueueInference.Worker.Consuming;

namespace QueueInference.Worker.Tests.Precompilation;

/// <summary>
/// ReadyToRun leaves a method to the JIT when its signature, or a call it makes, passes a type whose calling
/// convention is not stable across runtime versions (crossgen2: "non version resilient signature"). On a
/// one-CPU pod the JIT's tier-0 code for such a method then runs unoptimized through a whole drain, so the
/// hot path's assemblies must not use those types in a method signature or a struct field. (A call inside a
/// method body is not seen here; <c>PublishReadyToRunCrossgen2ExtraArgs=--verbose</c> lists those.)
/// </summary>
public sealed class ReadyToRunSignatureTests
{
    private static readonly Type[] AbiUnstable = [typeof(Int128), typeof(UInt128)];

    public static TheoryData<string> HotAssemblies => [typeof(AttemptRegistry).Assembly.GetName().Name!, typeof(DeliveryDispatcher).Assembly.GetName().Name!];

    [Theory]
    [MemberData(nameof(HotAssemblies))]
    public void Signatures_HotPathAssembly_UseNoAbiUnstableType(string assemblyName)
    {
        // Arrange
        Assembly assembly = Assembly.Load(assemblyName);
        const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

        // Act
        string[] offenders =
        [
            .. from type in assembly.GetTypes()
               from method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything))
               where Uses(method.GetParameters().Select(p => p.ParameterType).Append((method as MethodInfo)?.ReturnType ?? typeof(void)))
               select $"{type.FullName}.{method.Name}",
            .. from type in assembly.GetTypes()
               where type.IsValueType
               from field in type.GetFields(Everything)
               where Uses([field.FieldType])
               select $"{type.FullName}.{field.Name}",
        ];

        // Assert
        Assert.Empty(offenders);
    }

    private static bool Uses(IEnumerable<Type> types) =>
        types.Any(t => AbiUnstable.Contains(t.IsByRef ? t.GetElementType() : t));
}

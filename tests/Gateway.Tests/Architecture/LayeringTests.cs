using System.Reflection;
using FcGateway;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Architecture;

/// <summary>The layering of docs/architecture.md: only the edges (the clients' and the workers' runtime API) know HTTP requests.</summary>
public sealed class LayeringTests
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    [Fact]
    public void NoTypeOutsideTheEdge_ReferencesHttpContext()
    {
        var offenders = typeof(GatewayHost).Assembly.GetTypes()
            .Where(type => !IsEdgeOrCompositionRoot(type))
            .SelectMany(type => Members(type).Where(member => member.Types.Any(MentionsHttpContext)).Select(member => $"{type.FullName}.{member.Name}"))
            .ToList();

        Assert.Empty(offenders);
    }

    [Theory]
    [InlineData("FcGateway.Dispatch")]
    [InlineData("FcGateway.Dialects")]
    [InlineData("FcGateway.Outcomes")]
    [InlineData("FcGateway.Configuration")]
    public void InnerLayers_DoNotDependOnTheEdge(string layer)
    {
        var offenders = typeof(GatewayHost).Assembly.GetTypes()
            .Where(type => type.Namespace?.StartsWith(layer, StringComparison.Ordinal) == true)
            .SelectMany(type => Members(type).Where(member => member.Types.Any(IsEdgeType)).Select(member => $"{type.FullName}.{member.Name}"))
            .ToList();

        Assert.Empty(offenders);
    }

    private static bool IsEdgeOrCompositionRoot(Type type)
    {
        var ns = type.Namespace ?? "";
        return ns.StartsWith("FcGateway.Edge", StringComparison.Ordinal)
            || ns.StartsWith("FcGateway.RuntimeApi", StringComparison.Ordinal)
            || ns.StartsWith("Microsoft.", StringComparison.Ordinal)
            || type == typeof(GatewayHost)
            || ns.Length == 0;
    }

    private static bool IsEdgeType(Type type) =>
        type.Namespace?.StartsWith("FcGateway.Edge", StringComparison.Ordinal) == true
        || type.Namespace?.StartsWith("FcGateway.RuntimeApi", StringComparison.Ordinal) == true
        || (type.IsGenericType && type.GetGenericArguments().Any(IsEdgeType))
        || (type.HasElementType && IsEdgeType(type.GetElementType()!));

    private static bool MentionsHttpContext(Type type) =>
        type == typeof(HttpContext)
        || (type.IsGenericType && type.GetGenericArguments().Any(MentionsHttpContext))
        || (type.HasElementType && MentionsHttpContext(type.GetElementType()!));

    private static IEnumerable<(string Name, IEnumerable<Type> Types)> Members(Type type)
    {
        foreach (var field in type.GetFields(Declared))
        {
            yield return (field.Name, [field.FieldType]);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return (property.Name, [property.PropertyType]);
        }

        foreach (var method in type.GetMethods(Declared))
        {
            yield return (method.Name, method.GetParameters().Select(parameter => parameter.ParameterType).Append(method.ReturnType));
        }

        foreach (var constructor in type.GetConstructors(Declared))
        {
            yield return (constructor.Name, constructor.GetParameters().Select(parameter => parameter.ParameterType));
        }
    }
}

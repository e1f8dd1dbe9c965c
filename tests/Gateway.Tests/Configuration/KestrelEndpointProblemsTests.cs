using FcGateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>An address in <c>Urls</c> is judged as Kestrel reads it: Kestrel splits the list at ';' and trims nothing.</summary>
public sealed class KestrelEndpointProblemsTests
{
    [Theory]
    [InlineData(" http://127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:8080 ; http://[::1]:8080")]
    public void Urls_AnAddressWithSpacesAroundIt_IsAProblem_AsKestrelWouldRefuseIt(string urls)
    {
        var problems = Find(("Urls", urls));

        Assert.Contains(problems, problem => problem.StartsWith("Urls: ", StringComparison.Ordinal) && problem.Contains("spaces", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080;http://[::1]:8080")]
    [InlineData("http://127.0.0.1:8080;")]
    public void Urls_AsKestrelReadsThem_AreNoProblem(string urls) => Assert.Empty(Find(("Urls", urls)));

    private static IReadOnlyList<string> Find(params (string Key, string Value)[] values) =>
        KestrelEndpointProblems.Find(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(pair => KeyValuePair.Create(pair.Key, (string?)pair.Value)))
            .Build());
}

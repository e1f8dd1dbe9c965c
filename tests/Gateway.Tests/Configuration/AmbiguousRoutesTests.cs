using FcGateway.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>Two routes nothing tells apart are one problem naming both; anything that tells them apart is no problem.</summary>
public sealed class AmbiguousRoutesTests
{
    private static readonly RouteMatch Same = new() { Path = "/same/{**rest}" };

    [Fact]
    public void Find_SamePathNothingElse_ProblemNamesBothRoutes()
    {
        var problem = Assert.Single(AmbiguousRoutes.Find([Route("a", Same), Route("b", Same)]));

        Assert.StartsWith("Routes 'a' and 'b' match the same requests (Path '/same/{**rest}'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_TheSameApartFromCaseAndOrderOfLists_Problem()
    {
        var first = new RouteMatch { Path = "/Same/{**rest}", Methods = ["GET", "POST"], Hosts = ["a.example"] };
        var second = new RouteMatch { Path = "/same/{**rest}", Methods = ["post", "get"], Hosts = ["A.example"] };

        Assert.Single(AmbiguousRoutes.Find([Route("a", first), Route("b", second, order: 0)]));
    }

    public static TheoryData<RouteMatch, int?> TellApart => new()
    {
        { new RouteMatch { Path = "/other/{**rest}" }, null },
        { Same, 1 },
        { Same with { Methods = ["GET"] }, null },
        { Same with { Hosts = ["a.example"] }, null },
        { Same with { Headers = [new RouteHeader { Name = "X-Version", Values = ["2"] }] }, null },
        { Same with { QueryParameters = [new RouteQueryParameter { Name = "v", Values = ["2"] }] }, null },
    };

    [Theory]
    [MemberData(nameof(TellApart))]
    public void Find_SomethingTellsThemApart_NoProblem(RouteMatch second, int? order)
    {
        Assert.Empty(AmbiguousRoutes.Find([Route("a", Same), Route("b", second, order)]));
    }

    private static RouteConfig Route(string id, RouteMatch match, int? order = null) => new() { RouteId = id, ClusterId = id, Match = match, Order = order };
}

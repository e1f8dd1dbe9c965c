using FcGateway.Diagnostics;

namespace Gateway.Tests.Diagnostics;

public sealed class XRayTraceHeaderPropagatorTests
{
    [Theory]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01")]
    [InlineData("Sampled=0; Parent=53995c3f42cd8ad8; Root=1-5759e988-bd862e3fe1be46a994272793; Lineage=a87bd80c:1", "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=?", "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01")]
    public void AnXRayHeader_IsTheTraceParentOfTheSameIds(string header, string traceParent) =>
        Assert.Equal(traceParent, XRayTraceHeaderPropagator.TraceParentOf(header));

    [Fact]
    public void ABareRoot_GetsAParentOfItsOwn() =>
        Assert.Matches("^00-5759e988bd862e3fe1be46a994272793-[0-9a-f]{16}-01$", XRayTraceHeaderPropagator.TraceParentOf("Root=1-5759e988-bd862e3fe1be46a994272793"));

    [Theory]
    [InlineData("")]
    [InlineData("Parent=53995c3f42cd8ad8;Sampled=1")]
    [InlineData("Root=2-5759e988-bd862e3fe1be46a994272793")]
    [InlineData("Root=1-5759e988bd862e3fe1be46a994272793")]
    [InlineData("Root=1-5759E988-bd862e3fe1be46a994272793")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a99427279;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0000000000000000")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8adg")]
    public void AnythingElse_IsNoTrace(string header) => Assert.Null(XRayTraceHeaderPropagator.TraceParentOf(header));
}

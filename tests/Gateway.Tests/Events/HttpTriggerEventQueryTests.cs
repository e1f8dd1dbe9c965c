using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using static Gateway.Tests.Events.EventRequests;

namespace Gateway.Tests.Events;

/// <summary>The event's <c>queryParameters</c>: an object of the query's keys, repeated values joined.</summary>
public sealed class HttpTriggerEventQueryTests
{
    [Fact]
    public void Write_NoQuery_QueryParametersIsEmptyObject()
    {
        var text = WriteText(Create());

        Assert.Contains("\"queryParameters\":{}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_QueryCollection_ValuesWrittenAndRepeatedKeysJoined()
    {
        var query = new QueryCollection(new Dictionary<string, StringValues>
        {
            ["parameter1"] = "value1",
            ["parameter2"] = new(["value1", "value2"]),
            ["a b"] = "c d",
            ["é"] = "中",
            ["empty"] = "",
        });

        using var document = WriteDocument(Create(query: query));
        var parameters = document.RootElement.GetProperty("queryParameters");

        Assert.Equal(5, parameters.EnumerateObject().Count());
        Assert.Equal("value1", parameters.GetProperty("parameter1").GetString());
        Assert.Equal("value1,value2", parameters.GetProperty("parameter2").GetString());
        Assert.Equal("c d", parameters.GetProperty("a b").GetString());
        Assert.Equal("中", parameters.GetProperty("é").GetString());
        Assert.Equal("", parameters.GetProperty("empty").GetString());
    }

    [Theory]
    [InlineData(new[] { "1" }, "1")]
    [InlineData(new[] { "1", "2" }, "1,2")]
    [InlineData(new[] { "a", "", "b" }, "a,,b")]
    [InlineData(new[] { "", "" }, ",")]
    public void Write_RepeatedQueryValues_JoinedWithCommaAndNoSpace(string[] values, string joined)
    {
        var query = new Dictionary<string, StringValues> { ["key"] = new(values) };

        using var document = WriteDocument(Create(query: query));

        Assert.Equal(joined, document.RootElement.GetProperty("queryParameters").GetProperty("key").GetString());
    }
}

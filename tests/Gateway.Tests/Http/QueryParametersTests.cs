using FcGateway.Http;

namespace Gateway.Tests.Http;

public sealed class QueryParametersTests
{
    [Fact]
    public void Parse_KeysDifferingInCase_AreSeparateParameters_RepeatedKeysKeepTheirOrder()
    {
        var parameters = QueryParameters.Parse("?a=1&A=2&a=3&ID=x&id=y&Id=z");

        Assert.Equal(["a", "A", "ID", "id", "Id"], parameters.Select(pair => pair.Key));
        Assert.Equal("1,3", string.Join(",", parameters.Single(pair => pair.Key == "a").Value.ToArray()));
        Assert.Equal("2", parameters.Single(pair => pair.Key == "A").Value.ToString());
    }

    [Theory]
    [InlineData("q=a+b", "q", "a b")]
    [InlineData("q=a%2Bb%20c", "q", "a+b c")]
    [InlineData("q=%E4%BD%A0%e5%a5%bd", "q", "你好")]
    [InlineData("q=%zz%4", "q", "%zz%4")]
    [InlineData("q=100%", "q", "100%")]
    [InlineData("q=%C3%28", "q", "\uFFFD(")]
    [InlineData("k%20ey=v", "k ey", "v")]
    [InlineData("flag", "flag", "")]
    [InlineData("=v", "", "v")]
    [InlineData("q=a=b", "q", "a=b")]
    [InlineData("q=ü", "q", "ü")]
    public void Parse_DecodesEachKeyAndValue(string query, string key, string value)
    {
        var parameter = Assert.Single(QueryParameters.Parse(query));

        Assert.Equal(key, parameter.Key);
        Assert.Equal(value, parameter.Value.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?")]
    [InlineData("&&")]
    public void Parse_NoPairs_IsEmpty(string query)
    {
        Assert.Empty(QueryParameters.Parse(query));
    }

    [Fact]
    public void Parse_EmptyPairsBetweenOthers_AreSkipped()
    {
        var parameters = QueryParameters.Parse("a=1&&b=2&");

        Assert.Equal(["a", "b"], parameters.Select(pair => pair.Key));
    }

    [Theory]
    [InlineData("?jwt=t&a=1&A=2&b=x+y%20z", "jwt", null, "?a=1&A=2&b=x+y%20z")]
    [InlineData("?JWT=t&a=1&jwt=u&%6Awt=v", "jwt", null, "?a=1")]
    [InlineData("?uid=forged&page=2", "uid", "u 42", "?page=2&uid=u%2042")]
    [InlineData("", "uid", "u-42", "?uid=u-42")]
    [InlineData("?jwt=t", "jwt", null, "")]
    [InlineData("?a&&b=", "jwt", null, "?a&b=")]
    [InlineData("?a=1;uid=forged&b=2", "uid", "u-42", "?a=1%3Buid=forged&b=2&uid=u-42")]
    public void Replace_RemovesTheNameInAnyCase_KeepsEveryOtherPairAsSent(string query, string name, string? value, string expected)
    {
        Assert.Equal(expected, QueryParameters.Replace(new Microsoft.AspNetCore.Http.QueryString(query.Length == 0 ? null : query), name, value).Value ?? "");
    }
}

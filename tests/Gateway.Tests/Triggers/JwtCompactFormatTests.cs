using FcGateway.Edge.Triggers;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Triggers;

public sealed class JwtCompactFormatTests
{
    private const string Header = """{"alg":"RS256","kid":"k"}""";
    private const string Payload = """{"sub":"u","exp":1700000000,"nbf":1600000000,"iat":1600000000}""";
    private const string Signature = "c2lnbmF0dXJl";

    [Theory]
    [InlineData(Header, Payload)]
    [InlineData("""{"alg":"RS256","x":{"crit":["foo"]}}""", Payload)]
    [InlineData(Header, """{"sub":"u","crit":["foo"],"exp":1.7e9}""")]
    [InlineData(Header, """{"sub":"u","nested":{"exp":"soon"}}""")]
    public void FindViolation_TokenKeepingTheRules_IsNull(string header, string payload) =>
        Assert.Null(JwtCompactFormat.FindViolation(Token(header, payload)));

    [Fact]
    public void FindViolation_SegmentsLongerThanTheStackBuffer_AreChecked()
    {
        var claims = string.Concat(Enumerable.Range(0, 200).Select(i => $"\"c{i}\":\"{new string('v', 10)}\","));

        Assert.Null(JwtCompactFormat.FindViolation(Token(Header, $$"""{{{claims}}"exp":1700000000}""")));
        Assert.Equal("its exp is not a number", JwtCompactFormat.FindViolation(Token(Header, $$"""{{{claims}}"exp":"1700000000"}""")));
    }

    [Theory]
    [InlineData("""{"alg":"RS256","crit":["foo"],"foo":1}""", Payload, "crit")]
    [InlineData("""{"alg":"RS256","crit":[]}""", Payload, "crit")]
    [InlineData("""{"alg":"RS256","cr\u0069t":["foo"]}""", Payload, "crit")]
    [InlineData(Header, """{"sub":"u","exp":"1700000000"}""", "its exp is not a number")]
    [InlineData(Header, """{"sub":"u","exp":null}""", "its exp is not a number")]
    [InlineData(Header, """{"sub":"u","nbf":"1600000000"}""", "its nbf is not a number")]
    [InlineData(Header, """{"sub":"u","iat":[1600000000]}""", "its iat is not a number")]
    [InlineData(Header, """{"sub":"u","exp":1700000000,"exp":"1700000000"}""", "its exp is not a number")]
    [InlineData("""["alg"]""", Payload, "not a well-formed JWT")]
    [InlineData(Header, """{"sub":""", "not a well-formed JWT")]
    public void FindViolation_BrokenHeaderOrPayload_SaysWhy(string header, string payload, string reason) =>
        Assert.Contains(reason, JwtCompactFormat.FindViolation(Token(header, payload)), StringComparison.Ordinal);

    [Theory]
    [InlineData("{0}=.{1}.{2}")]
    [InlineData("{0}.{1}==.{2}")]
    [InlineData("{0}.{1}.{2}==")]
    [InlineData("{0}.{1}.c2ln+mF0/XJl")]
    [InlineData("{0}.{1}.c2lu Z2")]
    [InlineData("{0}.{1}.{2}\n")]
    public void FindViolation_SegmentNotBase64UrlWithoutPadding_IsRefused(string shape) =>
        Assert.Equal("a segment is not base64url without padding", JwtCompactFormat.FindViolation(Shape(shape)));

    [Theory]
    [InlineData("{0}.{1}")]
    [InlineData("{0}.{1}.{2}.{2}")]
    [InlineData("{0}.{1}.{2}.{2}.{2}")]
    [InlineData("{0}")]
    public void FindViolation_NotThreeSegments_IsRefused(string shape) =>
        Assert.Equal("it is not three segments (a signed JWT)", JwtCompactFormat.FindViolation(Shape(shape)));

    [Fact]
    public void FindViolation_SegmentOfImpossibleBase64Length_IsMalformed() =>
        Assert.Equal("it is not a well-formed JWT", JwtCompactFormat.FindViolation(Shape("A.{1}.{2}")));

    private static string Token(string header, string payload) =>
        $"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(payload)}.{Signature}";

    private static string Shape(string shape) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, Base64UrlEncoder.Encode(Header), Base64UrlEncoder.Encode(Payload), Signature);
}

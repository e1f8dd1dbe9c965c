using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Gateway.Tests.Properties;

/// <summary>
/// Generates function outputs that look like response descriptions: a JSON object whose <c>statusCode</c>,
/// <c>headers</c>, <c>body</c> and <c>isBase64Encoded</c> hold values of any type, hostile strings included
/// (CR/LF, NUL, escapes, lone surrogates), sometimes repeated, sometimes cut short.
/// </summary>
internal static class JsonishOutputs
{
    private static readonly string[] Strings =
    [
        "", "a", "200", "text/plain", "a\\r\\nSet-Cookie: evil", "\\u0000", "\\ud800", "\\udc00x", "\\ud83d\\ude00",
        "é", "中文", "aGVsbG8=", "!!notbase64", "x-fc-request-id", "Bad Name", "Set-Cookie", "Content-Length", "\\\"", "\\t", "\\u007f",
    ];

    private static readonly Gen<string> Text = Gen.Elements(Strings).Select(s => $"\"{s}\"");

    private static readonly Gen<string> Number = Gen.OneOf(
        Gen.Choose(-1000, 1000).Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Elements("0", "99", "100", "199", "200", "204", "599", "600", "2.5", "1e3", "2e2", "-0", "200.0", "99999999999999999999", "1E400"));

    private static readonly Gen<string> Scalar = Gen.OneOf(Text, Number, Gen.Elements("true", "false", "null"));

    private static readonly Gen<string> Value = Gen.Sized(size => ValueOfDepth(Math.Min(size, 3)));

    private static readonly Gen<string> HeaderName = Gen.OneOf(
        Gen.Elements(Strings),
        Gen.Elements("X-A", "Content-Type", "set-cookie", "X-Fc-Status", "Connection", "Transfer-Encoding", "a:b", "a b", "é"));

    private static readonly Gen<string> HeaderValue = Gen.OneOf(Text, Scalar, Text.ListOf(3).Select(v => $"[{string.Join(',', v)}]"), Value);

    private static readonly Gen<string> Headers = Gen.OneOf(
        Gen.Zip(HeaderName, HeaderValue).Select(p => $"\"{p.Item1}\":{p.Item2}").ListOf(4).Select(members => "{" + string.Join(',', members) + "}"),
        Value);

    private static readonly Gen<string> Field = Gen.OneOf(
        Gen.OneOf(Number, Value).Select(v => $"\"statusCode\":{v}"),
        Headers.Select(v => $"\"headers\":{v}"),
        Value.Select(v => $"\"body\":{v}"),
        Value.Select(v => $"\"isBase64Encoded\":{v}"),
        Gen.Zip(Gen.Elements(Strings), Value).Select(p => $"\"{p.Item1}\":{p.Item2}"));

    /// <summary>An object of such fields, a statusCode most of the time; now and then truncated or with trailing bytes.</summary>
    public static Gen<string> Descriptions { get; } =
        from status in Gen.Frequency((3, Number), (1, Value))
        from fields in Field.ListOf(5)
        from position in Gen.Choose(0, 5)
        from damage in Gen.Frequency((8, Gen.Constant("")), (1, Gen.Elements("cut", " ", "}", "x", ",")))
        select Damage("{" + string.Join(',', fields.Take(position).Append($"\"statusCode\":{status}").Concat(fields.Skip(position))) + "}", damage);

    private static Gen<string> ValueOfDepth(int depth) => depth <= 0
        ? Scalar
        : Gen.OneOf(
            Scalar,
            ValueOfDepth(depth - 1).ListOf(3).Select(items => $"[{string.Join(',', items)}]"),
            Gen.Zip(Gen.Elements(Strings), ValueOfDepth(depth - 1)).Select(p => $"\"{p.Item1}\":{p.Item2}").ListOf(3)
                .Select(members => "{" + string.Join(',', members) + "}"));

    private static string Damage(string json, string damage) => damage switch
    {
        "" => json,
        "cut" => json[..(json.Length / 2)],
        _ => json + damage,
    };
}

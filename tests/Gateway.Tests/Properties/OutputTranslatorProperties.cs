using System.Text.Json;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FsCheck;
using Gateway.Tests.Output;

namespace Gateway.Tests.Properties;

/// <summary>
/// Whatever bytes a function returns, the translator answers without throwing: either a response with a final
/// status and headers that are all valid HTTP, or a bad response with a reason (wire contract §3, §5).
/// </summary>
public sealed class OutputTranslatorProperties
{
    private const string TokenChars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    [Property(MaxTest = 200)]
    public void Translate_AnyBytes_IsAValidResponseOrABadOne(byte[] output)
    {
        var result = OutputTranslations.Of(output);

        AssertWellFormed(result);
        if (!IsJsonObject(output))
        {
            Assert.True(result.Translation.IsValid);
            Assert.Equal(200, result.Translation.StatusCode);
            Assert.Equal(output, result.Body);
            Assert.Equal(["application/json"], result.Values("Content-Type"));
        }
    }

    [Property(MaxTest = 200)]
    public Property Translate_AnyJsonishResponseDescription_IsAValidResponseOrABadOne() =>
        Prop.ForAll(JsonishOutputs.Descriptions.ToArbitrary(), (string output) =>
        {
            var result = OutputTranslations.Of(output);

            AssertWellFormed(result);
        });

    private static void AssertWellFormed(OutputTranslations result)
    {
        if (!result.Translation.IsValid)
        {
            Assert.False(string.IsNullOrEmpty(result.Translation.Error));
            return;
        }

        Assert.InRange(result.Translation.StatusCode, 200, 599);
        foreach (var header in result.Headers)
        {
            Assert.True(header.Key.Length > 0 && header.Key.All(TokenChars.Contains), $"header name '{header.Key}' is not a token");
            Assert.False(header.Key.StartsWith("x-fc-", StringComparison.OrdinalIgnoreCase), $"reserved header '{header.Key}' written");
            Assert.All(result.Values(header.Key), value =>
                Assert.True(value.All(c => c is '\t' or (>= ' ' and <= '~')), $"header {header.Key} has an invalid value '{value}'"));
        }
    }

    private static bool IsJsonObject(byte[] output)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

using System.Text;
using FcGateway.Dialects.FcV1.Output;
using FcGateway.Dialects;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Output;

/// <summary>Runs <see cref="WorkerOutputTranslator"/> (or a dialect) on a copy of an output and keeps what it produced.</summary>
internal sealed class OutputTranslations
{
    private OutputTranslations(OutputTranslation translation, HeaderDictionary headers, List<string> dropped)
    {
        Translation = translation;
        Headers = headers;
        Dropped = dropped;
        Body = translation.Body.ToArray();
    }

    public OutputTranslation Translation { get; }

    public IHeaderDictionary Headers { get; }

    public List<string> Dropped { get; }

    public byte[] Body { get; }

    /// <summary>The values of header <paramref name="name"/>, one per header line.</summary>
    public string[] Values(string name) => [.. Headers[name].Select(value => value ?? "")];

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>FC's output rules on <paramref name="output"/>, with the response header limit <paramref name="maxHeaderBytes"/>.</summary>
    public static OutputTranslations Of(string output, int maxHeaderBytes = 8192) => Of(Encoding.UTF8.GetBytes(output), maxHeaderBytes);

    /// <summary>FC's output rules on a copy of <paramref name="output"/>, which the translator may decode in place.</summary>
    public static OutputTranslations Of(byte[] output, int maxHeaderBytes = 8192) =>
        Translate(headers => WorkerOutputTranslator.Translate(output.ToArray(), headers, maxHeaderBytes, OutputRules.FcV1));

    /// <summary>Runs <paramref name="dialect"/>'s output rules instead of calling the translator directly.</summary>
    public static OutputTranslations Of(IFunctionDialect dialect, string output, int maxHeaderBytes = 8192) =>
        Translate(headers => dialect.TranslateOutput(Encoding.UTF8.GetBytes(output), headers, maxHeaderBytes));

    private static OutputTranslations Translate(Func<HeaderDictionary, OutputTranslation> translate)
    {
        var headers = new HeaderDictionary();
        var translation = translate(headers);
        return new OutputTranslations(translation, headers, [.. translation.DroppedHeaders]);
    }
}

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

    public static OutputTranslations Of(string output, int maxHeaderBytes = 8192, OutputRules? rules = null) =>
        Of(Encoding.UTF8.GetBytes(output), maxHeaderBytes, rules);

    /// <param name="output">The function's output, copied so the translator may decode in place.</param>
    /// <param name="maxHeaderBytes">The response header limit.</param>
    /// <param name="rules">The dialect's rules; FC's by default.</param>
    /// <summary>Runs <paramref name="dialect"/>'s output rules instead of calling the translator directly.</summary>
    public static OutputTranslations Of(IFunctionDialect dialect, string output, int maxHeaderBytes = 8192)
    {
        var headers = new HeaderDictionary();
        var translation = dialect.TranslateOutput(Encoding.UTF8.GetBytes(output), headers, maxHeaderBytes);
        return new OutputTranslations(translation, headers, [.. translation.DroppedHeaders]);
    }

    public static OutputTranslations Of(byte[] output, int maxHeaderBytes = 8192, OutputRules? rules = null)
    {
        var headers = new HeaderDictionary();
        var translation = WorkerOutputTranslator.Translate(output.ToArray(), headers, maxHeaderBytes, rules ?? OutputRules.FcV1);
        return new OutputTranslations(translation, headers, [.. translation.DroppedHeaders]);
    }
}

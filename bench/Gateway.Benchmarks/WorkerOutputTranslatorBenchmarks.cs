using System.Text;
using BenchmarkDotNet.Attributes;
using FcGateway.Dialects.FcV1.Output;
using Microsoft.AspNetCore.Http;

namespace FcGateway.Benchmarks;

/// <summary>The output-to-response translation (wire contract §3) of a function's output.</summary>
public class WorkerOutputTranslatorBenchmarks
{
    private const int MaxHeaderBytes = 8192;

    private readonly HeaderDictionary _headers = [];
    private byte[] _output = [];

    [Params(0, 1024, 64 * 1024, 1024 * 1024)]
    public int BodyBytes { get; set; }

    /// <summary>
    /// <c>response</c>: <c>{"statusCode":200,"headers":{...},"body":"..."}</c>; <c>raw-text</c>: text that is not
    /// JSON; <c>raw-binary</c>: bytes that are not UTF-8. Both raw kinds pass through with 200.
    /// </summary>
    [Params("response", "raw-text", "raw-binary")]
    public string Output { get; set; } = "response";

    [GlobalSetup]
    public void Setup()
    {
        _output = Output switch
        {
            "response" => ResponseOutput(BodyBytes),
            "raw-text" => BenchmarkPayloads.PlainText(BodyBytes),
            _ => BenchmarkPayloads.Binary(BodyBytes),
        };
    }

    /// <remarks>
    /// The outputs are chosen so translation does not change them (no escapes, no base64), which lets every
    /// iteration translate the same bytes without a copy.
    /// </remarks>
    [Benchmark]
    public int Translate()
    {
        _headers.Clear();
        var translation = WorkerOutputTranslator.Translate(_output, _headers, MaxHeaderBytes, OutputRules.FcV1);
        return translation.StatusCode + translation.Body.Length;
    }

    private static byte[] ResponseOutput(int bodyBytes)
    {
        var body = Encoding.UTF8.GetString(BenchmarkPayloads.PlainText(bodyBytes));
        return Encoding.UTF8.GetBytes(
            $$"""{"statusCode":200,"headers":{"Content-Type":"text/plain","X-Custom":"v1","Set-Cookie":["a=1","b=2"]},"body":"{{body}}"}""");
    }
}

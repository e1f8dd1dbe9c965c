using System.Text;
using System.Text.Json;
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
    private byte[]? _escapedOriginal;

    [Params(0, 1024, 64 * 1024, 1024 * 1024)]
    public int BodyBytes { get; set; }

    /// <summary>
    /// <c>response</c>: <c>{"statusCode":200,"headers":{...},"body":"..."}</c>; <c>escaped</c>: the same with a body
    /// of JSON text in the string (every quote escaped, a <c>\n</c> and a <c>\u00e9</c> per line), as an echo of a JSON
    /// request returns; <c>raw-text</c>: text that is not JSON; <c>raw-binary</c>: bytes that are not UTF-8. Both raw
    /// kinds pass through with 200.
    /// </summary>
    [Params("response", "escaped", "raw-text", "raw-binary")]
    public string Output { get; set; } = "response";

    [GlobalSetup]
    public void Setup()
    {
        _output = Output switch
        {
            "response" => ResponseOutput(BodyBytes),
            "escaped" => EscapedOutput(BodyBytes),
            "raw-text" => BenchmarkPayloads.PlainText(BodyBytes),
            _ => BenchmarkPayloads.Binary(BodyBytes),
        };
        _escapedOriginal = Output == "escaped" ? (byte[])_output.Clone() : null;
    }

    /// <remarks>
    /// Translation unescapes a string body in place: the escaped output is copied back from its original before each
    /// translation (that copy is part of its time); the other outputs are not changed by translation (no escapes, no
    /// base64), so every iteration translates the same bytes without a copy.
    /// </remarks>
    [Benchmark]
    public int Translate()
    {
        _escapedOriginal?.CopyTo(_output, 0);
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

    private static byte[] EscapedOutput(int bodyBytes)
    {
        var line = "{\"name\":\"caf\u00e9\",\"n\":1}\n";
        var body = string.Concat(Enumerable.Repeat(line, Math.Max(1, bodyBytes / line.Length)));
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["statusCode"] = 200, ["body"] = body });
    }
}

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
    private byte[]? _original;

    [Params(0, 1024, 64 * 1024, 1024 * 1024)]
    public int BodyBytes { get; set; }

    /// <summary>
    /// <c>response</c>: <c>{"statusCode":200,"headers":{...},"body":"..."}</c>; <c>escaped</c>: the same with a body
    /// of JSON text in the string (every quote escaped, a <c>\n</c> and a <c>\u00e9</c> per line), as an echo of a JSON
    /// request returns; <c>base64</c>: a binary body, base64 with <c>isBase64Encoded</c>, as an echo of a binary request
    /// returns; <c>raw-text</c>: text that is not JSON; <c>raw-binary</c>: bytes that are not UTF-8. Both raw kinds pass
    /// through with 200.
    /// </summary>
    [Params("response", "escaped", "base64", "raw-text", "raw-binary")]
    public string Output { get; set; } = "response";

    [GlobalSetup]
    public void Setup()
    {
        _output = Output switch
        {
            "response" => ResponseOutput(BodyBytes),
            "escaped" => EscapedOutput(BodyBytes),
            "base64" => Base64Output(BodyBytes),
            "raw-text" => BenchmarkPayloads.PlainText(BodyBytes),
            _ => BenchmarkPayloads.Binary(BodyBytes),
        };
        _original = Output is "escaped" or "base64" ? (byte[])_output.Clone() : null;
    }

    /// <remarks>
    /// Translation unescapes a string body and decodes base64 in place: the escaped and base64 outputs are copied back from
    /// their originals before each translation (that copy is part of their time); the other outputs are not changed by
    /// translation, so every iteration translates the same bytes without a copy.
    /// </remarks>
    [Benchmark]
    public int Translate()
    {
        _original?.CopyTo(_output, 0);
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

    private static byte[] Base64Output(int bodyBytes) => Encoding.UTF8.GetBytes(
        $$"""{"statusCode":200,"headers":{"Content-Type":"application/octet-stream"},"body":"{{Convert.ToBase64String(BenchmarkPayloads.Binary(bodyBytes))}}","isBase64Encoded":true}""");

    private static byte[] EscapedOutput(int bodyBytes)
    {
        var line = "{\"name\":\"caf\u00e9\",\"n\":1}\n";
        var body = string.Concat(Enumerable.Repeat(line, Math.Max(1, bodyBytes / line.Length)));
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["statusCode"] = 200, ["body"] = body });
    }
}

using System.Buffers;
using System.Net;
using BenchmarkDotNet.Attributes;
using FcGateway.Configuration;
using FcGateway.Events;
using Microsoft.AspNetCore.Http;

namespace FcGateway.Benchmarks;

/// <summary>
/// The request-to-event mapping (wire contract §1): <see cref="HttpTriggerEventWriter.Write"/> alone, and with
/// <see cref="EventRequestFactory.Create"/> in front of it as the invocation path runs them per request.
/// </summary>
public class HttpTriggerEventWriterBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new();
    private DefaultHttpContext _context = null!;
    private GatewaySettings _settings = null!;
    private EventRequest _request;

    [Params(0, 1024, 64 * 1024, 1024 * 1024)]
    public int BodyBytes { get; set; }

    /// <summary><c>text</c>: an application/json body (written as escaped text); <c>binary</c>: application/octet-stream (base64).</summary>
    [Params("text", "binary")]
    public string Body { get; set; } = "text";

    [GlobalSetup]
    public void Setup()
    {
        var isText = Body == "text";
        var body = isText ? BenchmarkPayloads.JsonText(BodyBytes) : BenchmarkPayloads.Binary(BodyBytes);
        _context = new DefaultHttpContext();
        var request = _context.Request;
        request.Method = "POST";
        request.Scheme = "http";
        request.Host = new HostString("bench.cn-hangzhou.fcapp.run");
        request.Path = "/bench/items";
        request.QueryString = new QueryString("?page=2&tag=a&tag=b");
        request.Protocol = "HTTP/1.1";
        request.ContentType = isText ? "application/json; charset=utf-8" : "application/octet-stream";
        request.ContentLength = body.Length;
        request.Headers.UserAgent = "wrk/4.2.0";
        request.Headers.Accept = "*/*";
        request.Headers["X-Custom-Header"] = "value1";
        request.Headers["X-Forwarded-For"] = "203.0.113.7";
        _context.Connection.RemoteIpAddress = IPAddress.Loopback;
        _context.TraceIdentifier = "1-6b02e88b-a2f980d5a90edf94aa86b1ec";
        _settings = new GatewaySettings { AccountId = "1234567890123456" };
        _request = Create(body);
        _output.Clear();
        HttpTriggerEventWriter.Write(_output, _request);
    }

    /// <summary>The writer alone, into a reused buffer: what it allocates is its own.</summary>
    [Benchmark(Baseline = true)]
    public int Write()
    {
        _output.ResetWrittenCount();
        HttpTriggerEventWriter.Write(_output, _request);
        return _output.WrittenCount;
    }

    /// <summary>The per-request mapping: gather the request (X-Forwarded-For, query) and write the event.</summary>
    [Benchmark]
    public int CreateAndWrite()
    {
        _output.ResetWrittenCount();
        HttpTriggerEventWriter.Write(_output, Create(_request.Body));
        return _output.WrittenCount;
    }

    private EventRequest Create(ReadOnlyMemory<byte> body) =>
        EventRequestFactory.Create(_context, _context.Request.Path.ToUriComponent(), _context.Request.Query, body, _settings, DateTimeOffset.UnixEpoch);
}

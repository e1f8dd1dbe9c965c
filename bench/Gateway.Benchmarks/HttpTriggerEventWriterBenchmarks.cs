using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using BenchmarkDotNet.Attributes;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dialects.FcV1.Events;
using FcGateway.Dialects;
using FcGateway.Edge.HttpTriggers;
using Microsoft.AspNetCore.Http;

namespace FcGateway.Benchmarks;

/// <summary>
/// The request-to-event mapping (wire contract §1). <see cref="HttpTriggerEventWriter.Write"/> writes the whole
/// event into one buffer (the reference); the invocation path instead writes the head with
/// <see cref="HttpTriggerEventWriter.WriteHead"/> and streams head, body and tail with <see cref="EventContent"/>,
/// benchmarked here into a reused <see cref="MemoryStream"/> (the bytes are copied once, as they are onto a socket),
/// alone and with <see cref="EventRequestFactory.Create"/> in front of it, as the middleware runs them per request.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The stream lives from [GlobalSetup] to [GlobalCleanup], which disposes it.")]
public class HttpTriggerEventWriterBenchmarks
{
    /// <summary>The head buffer's initial size in FunctionInvocationMiddleware.</summary>
    private const int EventHeadBytes = 2048;

    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly MemoryStream _stream = new();
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

        // Size both outputs once, so the iterations measure the mapping rather than the outputs' growth.
        _output.Clear();
        HttpTriggerEventWriter.Write(_output, _request);
        Stream(_request).GetAwaiter().GetResult();
        if (_stream.Length != _output.WrittenCount || !_stream.GetBuffer().AsSpan(0, (int)_stream.Length).SequenceEqual(_output.WrittenSpan))
        {
            throw new InvalidOperationException("The streamed event differs from the written one.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _stream.Dispose();

    /// <summary>The whole event into a reused buffer: what it allocates is the writer's own.</summary>
    [Benchmark(Baseline = true)]
    public int Write()
    {
        _output.ResetWrittenCount();
        HttpTriggerEventWriter.Write(_output, _request);
        return _output.WrittenCount;
    }

    /// <summary>The production path for an already gathered request: head buffer, WriteHead, EventContent streamed.</summary>
    [Benchmark]
    public Task<long> WriteHeadAndStream() => Stream(_request);

    /// <summary>The per-request mapping as the middleware runs it: gather the request (X-Forwarded-For, query), then stream.</summary>
    [Benchmark]
    public Task<long> CreateWriteHeadAndStream() => Stream(Create(_request.Body));

    private async Task<long> Stream(EventRequest request)
    {
        using var head = new PooledBuffer(EventHeadBytes);
        var base64 = HttpTriggerEventWriter.WriteHead(head, request);
        using var content = new EventContent(head, request.Body, base64);
        _stream.Position = 0;
        _stream.SetLength(0);
        await content.CopyToAsync(_stream);
        return _stream.Length;
    }

    private EventRequest Create(ReadOnlyMemory<byte> body)
    {
        var (rawPath, rawQueryString) = RequestTarget.Split(_context);
        return EventRequestFactory.Create(_context, rawPath, rawQueryString, _context.Request.Query, body, _settings, DateTimeOffset.UnixEpoch);
    }
}

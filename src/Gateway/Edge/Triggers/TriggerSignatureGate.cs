using System.Runtime.InteropServices;
using System.Security.Cryptography;
using FcGateway.Edge.Errors;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Signatures;
using FcGateway.Http;
using FcGateway.Outcomes;
using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// The triggers whose callers sign their requests: FC's signature authentication (<c>AuthType: function</c>, keys of
/// <c>Gateway:AccessKeys</c>) and Lambda's function URLs of <c>AuthType: AWS_IAM</c> (AWS Signature Version 4, keys of
/// <c>Gateway:InvokeApi:AwsAccessKeys</c>). A request goes on only with a signature that holds; refusals are 403.
/// </summary>
internal sealed class TriggerSignatureGate(GatewayErrorWriter errors, SignatureNonces nonces, TimeProvider time)
{
    /// <summary>
    /// FC's signature: judged over the head; a signed body is checked as it is read (<see cref="SignedBodyStream"/>), one
    /// that is not read (none) at once; a signed nonce is taken once.
    /// </summary>
    public Task CheckFcAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!AcsSignatureV3.IsSigned(request))
        {
            return errors.RefuseAsync(context, Outcome.AccessDenied,
                $"This trigger takes signed requests only: Authorization: {AcsSignatureV3.Algorithm} with a key of Gateway:AccessKeys.");
        }

        var now = time.GetUtcNow();
        if ((AcsSignatureV3.Verify(request, context.GatewaySettings().AccessKeys, now, out var signed) ?? signed!.TakeNonce(nonces, now)) is { } refusal)
        {
            return errors.RefuseAsync(context, refusal.Error, refusal.Message);
        }

        if (signed!.ContentHash is null)
        {
            return next(context);
        }

        // No one reads a request without a body (an event gets none, nothing is forwarded), so its emptiness is judged here.
        if (request.ContentLength == 0 || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return signed.CoversHash(SHA256.HashData([]))
                ? next(context)
                : errors.RefuseAsync(context, Outcome.SignatureNotMatch, AcsSignatureV3.BodyMismatch);
        }

        request.Body = new SignedBodyStream(request.Body, signed, request.ContentLength);
        context.Response.RegisterForDispose(request.Body);
        return next(context);
    }

    /// <summary>
    /// AWS Signature Version 4, scoped to <c>Gateway:Region</c> and <c>lambda</c> as a function URL's: the head is judged
    /// first; the signature covers the body's hash, so the body is read whole (within the request limits) and judged
    /// before anything of it goes on, then handed on as read.
    /// </summary>
    public async Task CheckAwsAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var settings = context.GatewaySettings();
        var keys = settings.InvokeApi.AwsAccessKeys;
        if (!AwsSignatureV4.IsSigned(request))
        {
            await errors.RefuseAsync(context, Outcome.AccessDenied,
                $"This function URL takes signed requests only: AWS Signature Version 4 ({AwsSignatureV4.Algorithm}) with a key of Gateway:InvokeApi:AwsAccessKeys.");
            return;
        }

        if (AwsSignatureV4.Read(request, keys, settings.Region, time.GetUtcNow(), coveredWhenSent: [], out var signed) is { } problem)
        {
            await errors.RefuseAsync(context, Outcome.SignatureNotMatch, problem);
            return;
        }

        var body = RequestBodyReader.BufferFor(request, settings.Limits);
        context.Response.RegisterForDispose(body);
        if (await RequestBodyReader.ReadAsync(request, body, settings.Limits, context.RequestAborted) is { } failure)
        {
            await errors.RefuseAsync(context, failure.Error, failure.Message);
            return;
        }

        // The signature covers the body's hash, which reads every byte of it.
        await InlineSocketCompletions.LeaveSocketThreadForAsync(body.WrittenCount);

        if (!AwsSignatureV4.Matches(request, signed!, keys[signed!.AccessKeyId], body.WrittenSpan))
        {
            await errors.RefuseAsync(context, Outcome.SignatureNotMatch, AwsSignatureV4.Mismatch);
            return;
        }

        context.Features.Set(new SignedCallerFeature(signed.AccessKeyId));

        // The body as read, without a copy while it sits in a pooled array (the buffer lives until the response has ended,
        // after every reader of the body); a body in mapped memory (over a megabyte) is copied once.
        request.Body = MemoryMarshal.TryGetArray(body.WrittenMemory, out var read)
            ? new MemoryStream(read.Array!, read.Offset, read.Count, writable: false)
            : new MemoryStream(body.WrittenMemory.ToArray(), writable: false);
        await next(context);
    }
}

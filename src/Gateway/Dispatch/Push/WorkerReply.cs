using FcGateway.Buffers;

namespace FcGateway.Dispatch.Push;

/// <summary>Reads and judges a worker's reply (wire contract §2).</summary>
internal static class WorkerReply
{
    private const int ReadChunkBytes = 16 * 1024;

    /// <summary>Success is a 2xx status with no <c>x-fc-status</c> or with <c>x-fc-status: 200</c>.</summary>
    public static bool IsSuccess(HttpResponseMessage reply)
    {
        if ((int)reply.StatusCode is < 200 or > 299)
        {
            return false;
        }

        if (!reply.Headers.NonValidated.TryGetValues(WorkerHeaderNames.Status, out var values))
        {
            return true;
        }

        foreach (var value in values)
        {
            return value.AsSpan().Trim().SequenceEqual("200");
        }

        return true;
    }

    public static string Describe(HttpResponseMessage reply) =>
        reply.Headers.TryGetValues(WorkerHeaderNames.Status, out var values)
            ? $"HTTP {(int)reply.StatusCode}, x-fc-status {string.Join(",", values)}"
            : $"HTTP {(int)reply.StatusCode}";

    /// <summary>Copies the reply body into <paramref name="output"/>; false when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<bool> TryReadBodyAsync(HttpResponseMessage reply, PooledBuffer output, long maxBytes, CancellationToken cancellationToken)
    {
        if (reply.Content.Headers.ContentLength is long declared && declared > maxBytes)
        {
            return false;
        }

        // The handler's content has its stream at hand: asking for it synchronously costs no task.
        await using var body = reply.Content.ReadAsStream(cancellationToken);
        while (true)
        {
            var read = await body.ReadAsync(output.GetMemory(ReadChunkBytes), cancellationToken);
            if (read == 0)
            {
                return true;
            }

            output.Advance(read);
            if (output.WrittenCount > maxBytes)
            {
                return false;
            }
        }
    }
}

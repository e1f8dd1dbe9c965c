using System.Buffers.Binary;

namespace FcGateway.Http;

/// <summary>
/// Creates Function Compute request ids: <c>1-</c>, eight hex digits of the Unix time in seconds,
/// <c>-</c>, and 24 random hex digits (wire contract §9), e.g. <c>1-64f6cd87-e01edb1cce58240ed59b59d9</c>: one for each
/// request, and one for each lifecycle call (initializer, pre-stop) of an instance the gateway launched.
/// </summary>
/// <remarks>
/// The random part comes from <see cref="Random.Shared"/>: ids must be unique, not secret, and a
/// cryptographic generator cost more than the rest of the id's making on every request.
/// </remarks>
internal sealed class RequestIdGenerator(TimeProvider timeProvider)
{
    public const int Length = 35;

    public string Next()
    {
        var seconds = (uint)timeProvider.GetUtcNow().ToUnixTimeSeconds();
        return string.Create(Length, seconds, static (chars, unixSeconds) =>
        {
            Span<byte> random = stackalloc byte[12];
            Random.Shared.NextBytes(random);
            Span<byte> seconds = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(seconds, unixSeconds);
            chars[0] = '1';
            chars[1] = '-';
            Convert.TryToHexStringLower(seconds, chars.Slice(2, 8), out _);
            chars[10] = '-';
            Convert.TryToHexStringLower(random, chars[11..], out _);
        });
    }
}

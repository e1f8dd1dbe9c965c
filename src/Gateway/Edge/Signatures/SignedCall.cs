using FcGateway.Configuration;
using FcGateway.Outcomes;

namespace FcGateway.Edge.Signatures;

/// <summary>
/// A call whose signature held over its head. The body, which the signature may cover too, is judged once it is read
/// (<see cref="Covers"/>): an AWS signature always covers it, an FC signature when the caller signed its hash.
/// </summary>
internal abstract record SignedCall
{
    /// <summary>Whether <paramref name="body"/> is the one the signature covers.</summary>
    public abstract bool Covers(HttpRequest request, GatewaySettings settings, ReadOnlySpan<byte> body);

    /// <summary>The refusal of a call whose body is not the one signed.</summary>
    public abstract (Outcome Error, string Message) BodyRefusal { get; }

    /// <summary>
    /// Takes the call's signed nonce, if it has one: the refusal of a call whose nonce was taken already (a replay), or
    /// null.
    /// </summary>
    public virtual (Outcome Error, string Message)? TakeNonce(SignatureNonces nonces, DateTimeOffset now) => null;
}

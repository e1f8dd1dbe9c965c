namespace FcGateway.Edge.Responses;

/// <summary>How much of a response body the server took for sending, and whether the client went away before the end.</summary>
/// <param name="Bytes">The bytes the server took (its buffers included: not necessarily what the client received).</param>
/// <param name="ClientGone">The client reset or closed its connection or stream before the server took the whole body.</param>
internal readonly record struct SentBody(long Bytes, bool ClientGone);

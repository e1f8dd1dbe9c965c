namespace FcGateway.Edge.Requests;

/// <summary>
/// Endpoint metadata of the one endpoint whose own request headers start with <c>x-fc-</c> (the invocation API's
/// <c>x-fc-invocation-type</c>, <c>x-fc-log-type</c>) and which passes nothing of the request but its body on.
/// The client <c>x-fc-*</c> rule is lifted by what handles the request, never by what its path looks like.
/// </summary>
internal sealed class KeepsClientFcHeaders
{
    public static readonly KeepsClientFcHeaders Instance = new();

    private KeepsClientFcHeaders()
    {
    }
}

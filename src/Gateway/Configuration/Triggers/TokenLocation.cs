
namespace FcGateway.Configuration.Triggers;

/// <summary>A part of the request that carries a token or receives a claim.</summary>
internal enum TokenLocation
{
    Header,
    Cookie,
    Query,
}

using FcGateway.Configuration;
using FcGateway.Dispatch.Pull;
using FcGateway.Outcomes;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace FcGateway.RuntimeApi;

/// <summary>
/// Sends each runtime API request to its endpoint by reading its path once, where endpoint routing would build route
/// values and a rewritten path for each of the two requests of every pulled invocation. The address comes from the port
/// the connection came on (<see cref="PortPrefix"/>), else from the path (<c>/functions/{name}</c>, then
/// <c>/instances/{id}</c>), else from the root (<see cref="RootAddress"/>); below it, a protocol's version path and its
/// call (<see cref="RuntimeApiPaths"/>). Matched as routing matched the same templates: literals in any case, one slash
/// after the call allowed, a parameter never empty, a call in the wrong method 405 with <c>Allow</c>, anything else the pipeline's 404.
/// Each call at each form of address is given an endpoint of its own, whose route template (e.g.
/// <c>/functions/{function}/2020-11-11/runtime/invocation/{id}/response</c>; without the address at the root or on a
/// prefixed port) the listener's <c>http.server.request.duration</c> reports as <c>http.route</c>. The path's names and
/// ids are read as spans: a function's or an instance's as the directory's own strings (<see cref="RuntimeApiDirectory.FunctionNamed"/>),
/// a reply's invocation id looked up as it stands; strings are made only for what the directory does not know.
/// </summary>
internal sealed class RuntimeApiRouter(RuntimeApiEndpoints endpoints, RuntimeApiDirectory directory, RootAddress root, IReadOnlyList<RuntimeApiWire> wires)
{
    /// <summary>The calls at the root or on a prefixed port, whose paths start with the version path.</summary>
    private readonly WireCalls[] _atRoot = [.. wires.Select(wire => new WireCalls(wire, "", root))];

    private readonly WireCalls[] _atFunction = [.. wires.Select(wire => new WireCalls(wire, RuntimeApiPaths.Functions + "/{function}"))];

    private readonly WireCalls[] _atInstance =
        [.. wires.Select(wire => new WireCalls(wire, RuntimeApiPaths.Functions + "/{function}" + RuntimeApiPaths.Instances + "/{instance}"))];

    /// <param name="context">The request.</param>
    /// <param name="unrouted">
    /// The pipeline's end, for a request no call reads: its empty 404, which hosting counts as unhandled
    /// (<c>aspnetcore.request.is_unhandled</c>), as it counted a request routing matched no endpoint for.
    /// </param>
    public Task RouteAsync(HttpContext context, RequestDelegate unrouted)
    {
        var path = context.Request.Path.Value.AsSpan();
        string function;
        string? instance = null;
        WireCalls? calls;
        if (context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(PortPrefix.Item, out var item) == true)
        {
            var prefix = (PortPrefix)item!;
            (function, instance) = (prefix.Function, prefix.Instance);
            calls = WireAt(path, _atRoot);
        }
        else if (TakeLiteral(ref path, RuntimeApiPaths.Functions))
        {
            if (!TakeSegment(ref path, out var name))
            {
                return unrouted(context);
            }

            if (TakeLiteral(ref path, RuntimeApiPaths.Instances))
            {
                if (!TakeSegment(ref path, out var id))
                {
                    return unrouted(context);
                }

                (function, instance) = directory.InstanceNamed(name, id);
            }
            else
            {
                function = directory.FunctionNamed(name);
            }

            calls = WireAt(path, instance is null ? _atFunction : _atInstance);
        }
        else if (WireAt(path, _atRoot) is { } rootCalls)
        {
            if (rootCalls.RootRefusal is { } refusal)
            {
                return endpoints.RefuseAtRootAsync(Reached(context, refusal.Endpoint), refusal.Message);
            }

            function = root.FunctionServed(rootCalls.Wire.Protocol)!;
            calls = rootCalls;
        }
        else
        {
            return unrouted(context);
        }

        if (calls is null)
        {
            return unrouted(context);
        }

        var wire = calls.Wire;
        path = path[wire.VersionPath.Length..];
        var method = context.Request.Method;
        if (TakeLiteral(ref path, RuntimeApiPaths.InitError))
        {
            return calls.InitError is not { } initError || !IsEnd(path) ? unrouted(context)
                : HttpMethods.IsPost(method) ? endpoints.InitErrorAsync(Reached(context, initError), wire, function, instance)
                : MethodNotAllowed(context, HttpMethods.Post);
        }

        if (!TakeLiteral(ref path, RuntimeApiPaths.Invocation))
        {
            return unrouted(context);
        }

        var afterInvocation = path;
        if (TakeLiteral(ref path, RuntimeApiPaths.Next) && IsEnd(path))
        {
            return HttpMethods.IsGet(method) ? endpoints.NextAsync(Reached(context, calls.Next), wire, function, instance)
                : MethodNotAllowed(context, HttpMethods.Get);
        }

        path = afterInvocation;
        if (!TakeSegment(ref path, out var invocationId))
        {
            return unrouted(context);
        }

        var (outcome, endpoint) = TakeLiteral(ref path, RuntimeApiPaths.Response) && IsEnd(path) ? (Outcome.Success, calls.Response)
            : TakeLiteral(ref path, RuntimeApiPaths.Error) && IsEnd(path) ? (Outcome.FunctionError, calls.Error)
            : (default, null);
        return endpoint is null ? unrouted(context)
            : HttpMethods.IsPost(method) ? endpoints.ReplyAsync(Reached(context, endpoint), wire, function, instance, invocationId, outcome)
            : MethodNotAllowed(context, HttpMethods.Post);
    }

    /// <summary>The calls, among <paramref name="form"/>, of the protocol whose version path <paramref name="path"/> starts with.</summary>
    private static WireCalls? WireAt(ReadOnlySpan<char> path, WireCalls[] form)
    {
        foreach (var calls in form)
        {
            if (StartsWithLiteral(path, calls.Wire.VersionPath))
            {
                return calls;
            }
        }

        return null;
    }

    private static HttpContext Reached(HttpContext context, Endpoint endpoint)
    {
        context.SetEndpoint(endpoint);
        return context;
    }

    private static bool StartsWithLiteral(ReadOnlySpan<char> path, string literal) =>
        path.StartsWith(literal, StringComparison.OrdinalIgnoreCase) && (path.Length == literal.Length || path[literal.Length] == '/');

    private static bool TakeLiteral(ref ReadOnlySpan<char> path, string literal)
    {
        if (!StartsWithLiteral(path, literal))
        {
            return false;
        }

        path = path[literal.Length..];
        return true;
    }

    /// <summary>Takes one non-empty segment (<c>/value</c>) off the start of <paramref name="path"/>.</summary>
    private static bool TakeSegment(ref ReadOnlySpan<char> path, out ReadOnlySpan<char> segment)
    {
        segment = default;
        if (path.Length < 2 || path[0] != '/')
        {
            return false;
        }

        var length = path[1..].IndexOf('/') is var slash and >= 0 ? slash : path.Length - 1;
        if (length == 0)
        {
            return false;
        }

        segment = path.Slice(1, length);
        path = path[(1 + length)..];
        return true;
    }

    private static bool IsEnd(ReadOnlySpan<char> path) => path.IsEmpty || path is "/";

    private static Task MethodNotAllowed(HttpContext context, string allowed)
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = allowed;
        return Task.CompletedTask;
    }

    /// <summary>
    /// A protocol's calls at one form of address (<paramref name="address"/>: empty at the root or on a prefixed port),
    /// each an endpoint named by its route template.
    /// </summary>
    private sealed class WireCalls(RuntimeApiWire wire, string address, RootAddress? root = null)
    {
        public RuntimeApiWire Wire { get; } = wire;

        public Endpoint Next { get; } = CallEndpoint(address + wire.VersionPath + RuntimeApiPaths.Invocation + RuntimeApiPaths.Next);

        public Endpoint Response { get; } = CallEndpoint(address + wire.VersionPath + RuntimeApiPaths.Invocation + "/{id}" + RuntimeApiPaths.Response);

        public Endpoint Error { get; } = CallEndpoint(address + wire.VersionPath + RuntimeApiPaths.Invocation + "/{id}" + RuntimeApiPaths.Error);

        /// <summary>Lambda's alone (wire contract §14).</summary>
        public Endpoint? InitError { get; } =
            wire.Protocol == RuntimeApiProtocol.Lambda ? CallEndpoint(address + wire.VersionPath + RuntimeApiPaths.InitError) : null;

        /// <summary>
        /// At a root that serves no function with the protocol (<see cref="RootAddress"/>): anything under the version
        /// path, and why it is refused, decided at start-up as the root is.
        /// </summary>
        public (Endpoint Endpoint, string Message)? RootRefusal { get; } =
            root is not null && root.FunctionServed(wire.Protocol) is null
                ? (CallEndpoint(wire.VersionPath + "/{**path}"), root.RefusalMessage(wire))
                : null;

        private static Endpoint CallEndpoint(string route) =>
            new(requestDelegate: null, new EndpointMetadataCollection(new CallRoute(route)), route);
    }

    private sealed record CallRoute(string Route) : IRouteDiagnosticsMetadata;
}

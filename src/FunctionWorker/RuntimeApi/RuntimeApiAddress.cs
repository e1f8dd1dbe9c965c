namespace FcWorker.RuntimeApi;

/// <summary>
/// Reads <c>FC_RUNTIME_API</c> as FC's runtime SDKs do: <c>host:port</c> or <c>host:port/path-prefix</c>, to which
/// <c>http://</c> is prefixed and <c>/2020-11-11/runtime/invocation/</c> appended.
/// </summary>
internal static class RuntimeApiAddress
{
    public const string Key = "FC_RUNTIME_API";

    private const string InvocationPath = "2020-11-11/runtime/invocation/";

    /// <summary>The base of the invocation paths (<c>next</c>, <c>{id}/response</c>, <c>{id}/error</c>), or null when the value is not an address.</summary>
    public static Uri? TryParse(string value)
    {
        // A scheme would become part of the host once http:// is prefixed, as it does in FC's own SDKs: refuse it here instead.
        if (value.Contains("://", StringComparison.Ordinal)
            || !Uri.TryCreate("http://" + value.TrimEnd('/') + "/", UriKind.Absolute, out var root)
            || root.Host.Length == 0 || root.UserInfo.Length > 0 || root.Query.Length > 0 || root.Fragment.Length > 0)
        {
            return null;
        }

        return new Uri(root, InvocationPath);
    }

    public static string Describe(string value) =>
        $"{Key} must be host:port or host:port/path-prefix, without a scheme (e.g. 127.0.0.1:9000 or 127.0.0.1:9000/functions/echo); it is '{value}'.";
}

namespace FcWorker.RuntimeApi;

/// <summary>
/// Reads <c>FC_RUNTIME_API</c> as FC's runtime SDKs do: <c>host:port</c> or <c>host:port/path-prefix</c>, to which
/// <c>http://</c> is prefixed and <c>/2020-11-11/runtime/invocation/</c> appended.
/// </summary>
internal static class RuntimeApiAddress
{
    public const string Key = "FC_RUNTIME_API";

    /// <summary>
    /// The gateway's word that its runtime API also speaks cleartext HTTP/2 with prior knowledge (<c>h2c</c>), set for the
    /// instances it launches; unset or <c>http/1.1</c>, the worker polls over HTTP/1.1, as FC's own runtime clients do.
    /// </summary>
    public const string ProtocolKey = "FCGATEWAY_RUNTIME_API_PROTOCOL";

    /// <summary>
    /// The gateway's word that it launched this worker (<c>1</c>), set for every instance it launches: a failed poll that
    /// shows it gone then stops the worker (<see cref="LaunchingGateway"/>). Unset or <c>0</c>, the worker retries for ever.
    /// </summary>
    public const string LaunchedKey = "FCGATEWAY_LAUNCHED";

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

    /// <summary>True for <c>h2c</c>, false when unset or <c>http/1.1</c>; any other value is an error.</summary>
    public static bool ReadProtocol(string? value, List<string> errors)
    {
        if (string.IsNullOrEmpty(value) || value.Equals("http/1.1", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (value.Equals("h2c", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        errors.Add($"{ProtocolKey} must be h2c or http/1.1; it is '{value}'.");
        return false;
    }

    /// <summary>True for <c>1</c>, false when unset or <c>0</c>; any other value is an error.</summary>
    public static bool ReadLaunched(string? value, List<string> errors)
    {
        if (string.IsNullOrEmpty(value) || value == "0")
        {
            return false;
        }

        if (value == "1")
        {
            return true;
        }

        errors.Add($"{LaunchedKey} must be 1 or 0; it is '{value}'.");
        return false;
    }

    public static string Describe(string value) =>
        $"{Key} must be host:port or host:port/path-prefix, without a scheme (e.g. 127.0.0.1:9000 or 127.0.0.1:9000/functions/echo); it is '{value}'.";
}

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The appsettings of a gateway process (<see cref="GatewayProcess"/>) that launches one FC function, <c>pulled</c>, routed
/// at <c>/pulled/…</c>, its runtime API on a free port.
/// </summary>
public static class LaunchedSampleSettings
{
    /// <summary>The function runs the C# SDK's <c>http-echo</c> sample (<c>dotnet Samples.dll http-echo</c>).</summary>
    public static Dictionary<string, object> HttpEcho() =>
        Of(new { RuntimeApi = "fc", Command = "dotnet", Arguments = new[] { Path.Combine(AppContext.BaseDirectory, "Samples.dll"), "http-echo" } });

    /// <param name="function">The function's settings (<c>Gateway:Functions:pulled</c>).</param>
    public static Dictionary<string, object> Of(object function) => new()
    {
        ["Gateway"] = new { RuntimeApi = new { Urls = "http://127.0.0.1:0" }, Functions = new { pulled = function } },
        ["ReverseProxy"] = new
        {
            Routes = new { pulled = new { Match = new { Path = "/pulled/{**rest}" }, Metadata = new { FunctionName = "pulled" } } },
        },
    };
}

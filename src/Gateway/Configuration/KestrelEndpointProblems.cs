using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FcGateway.Configuration;

/// <summary>
/// The mistakes in Kestrel's <c>Endpoints</c> and <c>Certificates</c> that would otherwise stop start-up with Kestrel's
/// exception and stack trace, or be ignored (an unknown <c>Protocols</c> falls back to the default): a URL that does not
/// parse, a protocol list Kestrel does not know, a certificate or key file that does not exist. Found before Kestrel
/// reads the section, named by key, so that they are reported beside every other problem.
/// </summary>
internal static class KestrelEndpointProblems
{
    private const string Section = "Kestrel";

    /// <summary>Each problem of the <c>Kestrel</c> section, starting with its key.</summary>
    /// <param name="configuration">The whole configuration; a relative certificate path starts at its content root, as in Kestrel.</param>
    public static IReadOnlyList<string> Find(IConfiguration configuration)
    {
        var kestrel = configuration.GetSection(Section);
        var contentRoot = Path.GetFullPath(configuration[HostDefaults.ContentRootKey] ?? Directory.GetCurrentDirectory());
        var problems = new List<string>();
        problems.AddRange(ProtocolsProblems(kestrel.GetSection("EndpointDefaults")));
        foreach (var endpoint in kestrel.GetSection("Endpoints").GetChildren())
        {
            problems.AddRange(UrlProblems(endpoint));
            problems.AddRange(ProtocolsProblems(endpoint));
            problems.AddRange(FileProblems(endpoint.GetSection("Certificate"), contentRoot));
        }

        foreach (var certificate in kestrel.GetSection("Certificates").GetChildren())
        {
            problems.AddRange(FileProblems(certificate, contentRoot));
        }

        return problems;
    }

    private static IEnumerable<string> UrlProblems(IConfigurationSection endpoint)
    {
        var url = endpoint["Url"];
        if (string.IsNullOrEmpty(url))
        {
            yield return $"{endpoint.Path}:Url: missing: give the address to listen on, e.g. http://127.0.0.1:8080.";
        }
        else if (!Parses(url))
        {
            yield return $"{endpoint.Path}:Url: '{url}' is not an address to listen on, such as http://127.0.0.1:8080 or https://0.0.0.0:8443.";
        }
    }

    private static bool Parses(string url)
    {
        try
        {
            BindingAddress.Parse(url);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static IEnumerable<string> ProtocolsProblems(IConfigurationSection endpoint)
    {
        var protocols = endpoint["Protocols"];
        if (protocols is not null && !Enum.TryParse<HttpProtocols>(protocols, ignoreCase: true, out _))
        {
            yield return $"{endpoint.Path}:Protocols: '{protocols}' is not one of {string.Join(", ", Enum.GetNames<HttpProtocols>().Where(name => name != nameof(HttpProtocols.None)))}.";
        }
    }

    private static IEnumerable<string> FileProblems(IConfigurationSection certificate, string contentRoot)
    {
        foreach (var key in (string[])["Path", "KeyPath"])
        {
            var file = certificate[key];
            var path = string.IsNullOrEmpty(file) ? null : Path.GetFullPath(file, contentRoot);
            if (path is not null && !File.Exists(path))
            {
                yield return $"{certificate.Path}:{key}: '{file}' was not found ('{path}' does not exist; a relative path starts at the content root).";
            }
        }
    }
}

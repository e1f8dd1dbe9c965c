namespace FcGateway.Configuration;

/// <summary>
/// The mistakes in <c>Urls</c> and the <c>Kestrel</c> section that would otherwise stop start-up with Kestrel's exception
/// and stack trace, or go unseen (an unknown <c>Protocols</c> falls back to the default): a key Kestrel does not read or
/// a value it cannot parse (<see cref="KestrelKeys"/>), an address that cannot be listened on as meant
/// (<see cref="ClientListenUrl"/>), a certificate or key file that does not exist, or that does not read with its key
/// and password (<see cref="KestrelCertificateFiles"/>: a key that is not the certificate's, a wrong password). Found
/// before Kestrel reads the section, at start-up and on every reload, named by key, so that they are reported beside
/// every other problem.
/// </summary>
internal static class KestrelEndpointProblems
{
    /// <summary>Kestrel's limits are the options people most often put in configuration, where Kestrel never reads them.</summary>
    private const string LimitsHint =
        " Kestrel takes no options from configuration; the request limits are Gateway:Limits (MaxRequestHeaderBytes, MaxPathAndQueryBytes, MaxRequestBodyBytes…), which the gateway sets on Kestrel too.";

    /// <summary>Each problem of the <c>Kestrel</c> section, starting with its key.</summary>
    /// <param name="configuration">The whole configuration; a relative certificate path starts at its content root, as in Kestrel.</param>
    public static IReadOnlyList<string> Find(IConfiguration configuration)
    {
        var kestrel = configuration.GetSection(KestrelKeys.SectionName);
        var contentRoot = Path.GetFullPath(configuration[HostDefaults.ContentRootKey] ?? Directory.GetCurrentDirectory());
        var problems = new List<string>();
        KestrelKeys.Kestrel.Check(kestrel, new SettingsErrors(problems));
        var limits = problems.FindIndex(problem => problem.StartsWith($"{kestrel.GetSection("Limits").Path}: ", StringComparison.OrdinalIgnoreCase));
        if (limits >= 0)
        {
            problems[limits] += LimitsHint;
        }

        var endpoints = kestrel.GetSection("Endpoints").GetChildren().ToList();
        if (endpoints.Count == 0)
        {
            // Kestrel listens on Urls only when no endpoint is configured; it splits them at ';' and trims nothing.
            problems.AddRange((configuration[WebHostDefaults.ServerUrlsKey] ?? "")
                .Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(ClientListenUrl.Problem).OfType<string>().Select(problem => $"Urls: {problem}"));
        }

        foreach (var endpoint in endpoints)
        {
            problems.AddRange(UrlProblems(endpoint));
            problems.AddRange(FileProblems(endpoint.GetSection("Certificate"), contentRoot));
            foreach (var host in endpoint.GetSection("Sni").GetChildren())
            {
                problems.AddRange(FileProblems(host.GetSection("Certificate"), contentRoot));
            }
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
        else if (ClientListenUrl.Problem(url) is { } problem)
        {
            yield return $"{endpoint.Path}:Url: {problem}";
        }
    }

    private static IEnumerable<string> FileProblems(IConfigurationSection certificate, string contentRoot)
    {
        var missing = false;
        foreach (var key in (string[])["Path", "KeyPath"])
        {
            var file = certificate[key];
            var path = string.IsNullOrEmpty(file) ? null : Path.GetFullPath(file, contentRoot);
            if (path is not null && !File.Exists(path))
            {
                missing = true;
                yield return $"{certificate.Path}:{key}: '{file}' was not found ('{path}' does not exist; a relative path starts at the content root).";
            }
        }

        // Kestrel would refuse it as it starts, or, in an edit, fail to reload and leave the endpoints as they were.
        if (!missing && !string.IsNullOrEmpty(certificate["Path"]) && KestrelCertificateFiles.ReadProblem(certificate, contentRoot) is { } unreadable)
        {
            yield return $"{certificate.Path}: not readable with its key and password: {unreadable}";
        }
    }
}

namespace Gateway.Tests.Deployment;

/// <summary>
/// Reads the services of docker-compose.yml: this project's compose file uses only block mappings,
/// block sequences and flow sequences of scalars, so an indentation reader is enough (no YAML package is
/// available here).
/// </summary>
public sealed class ComposeFile
{
    private ComposeFile(Dictionary<string, ComposeService> services) => Services = services;

    public IReadOnlyDictionary<string, ComposeService> Services { get; }

    public static ComposeFile Load(string path)
    {
        var services = new Dictionary<string, ComposeService>(StringComparer.Ordinal);
        ComposeService? service = null;
        string? section = null;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var indent = line.Length - line.TrimStart().Length;
            var text = line.Trim();
            switch (indent)
            {
                case 2:
                    service = new ComposeService(text.TrimEnd(':'));
                    services[service.Name] = service;
                    section = null;
                    break;
                case 4 when service is not null:
                    var (key, value) = Split(text);
                    section = key;
                    if (value.Length > 0)
                    {
                        service.Scalars[key] = value;
                    }

                    break;
                case 6 when service is not null && section is not null:
                    if (text.StartsWith("- ", StringComparison.Ordinal))
                    {
                        service.List(section).Add(Unquote(text[2..]));
                    }
                    else
                    {
                        var (subKey, subValue) = Split(text);
                        service.Map(section)[subKey] = subValue;
                    }

                    break;
            }
        }

        return new ComposeFile(services);
    }

    private static (string Key, string Value) Split(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return (text[..colon].Trim(), Unquote(text[(colon + 1)..].Trim()));
    }

    private static string Unquote(string value) => value.Trim().Trim('"');
}

/// <summary>One service of the compose file.</summary>
public sealed class ComposeService(string name)
{
    private readonly Dictionary<string, List<string>> _lists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _maps = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public Dictionary<string, string> Scalars { get; } = new(StringComparer.Ordinal);

    public List<string> List(string key) => _lists.TryGetValue(key, out var list) ? list : _lists[key] = [];

    public Dictionary<string, string> Map(string key) => _maps.TryGetValue(key, out var map) ? map : _maps[key] = new(StringComparer.Ordinal);
}

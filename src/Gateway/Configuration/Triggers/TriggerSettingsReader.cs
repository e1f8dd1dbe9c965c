using System.Security.Cryptography;
using System.Text;

namespace FcGateway.Configuration.Triggers;

/// <summary>
/// Reads <c>Gateway:Triggers</c>, collecting every problem rather than stopping at the first. Settings that look
/// like protection but would not be enforced (tokens on an anonymous trigger, an unknown key) are errors, so a
/// typo never leaves a function open. The <c>Jwt</c> and <c>Cors</c> sections have readers of their own.
/// </summary>
internal sealed class TriggerSettingsReader
{
    private const string CorsKey = "Cors";
    private const string JwtKey = "Jwt";
    private const string BearerTokensKey = "BearerTokens";

    private const string MethodsKey = "Methods";

    private static readonly SettingKeys TriggerKeys = new(
        [nameof(TriggerSettings.AuthType)], (BearerTokensKey, SettingKind.List), (JwtKey, SettingKind.Section), (MethodsKey, SettingKind.List), (CorsKey, SettingKind.Section));

    private static readonly string[] SupportedMethods =
    [
        HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Head, HttpMethods.Patch, HttpMethods.Options,
    ];

    private readonly SettingsErrors _errors;
    private readonly JwtSettingsReader _jwt;
    private readonly CorsSettingsReader _cors;

    private TriggerSettingsReader(SettingsErrors errors)
    {
        _errors = errors;
        _jwt = new JwtSettingsReader(errors);
        _cors = new CorsSettingsReader(errors);
    }

    /// <summary>Reads every trigger under <paramref name="section"/>, adding each problem to <paramref name="errors"/>.</summary>
    public static IReadOnlyDictionary<string, TriggerSettings> Read(IConfigurationSection section, List<string> errors)
    {
        var reader = new TriggerSettingsReader(new SettingsErrors(errors));
        var triggers = new Dictionary<string, TriggerSettings>(StringComparer.OrdinalIgnoreCase);
        foreach (var trigger in section.GetChildren())
        {
            triggers[trigger.Key] = reader.ReadTrigger(trigger);
        }

        return triggers;
    }

    private TriggerSettings ReadTrigger(IConfigurationSection section)
    {
        _errors.CheckKeys(section, TriggerKeys);
        // An AuthType that is not supported is a problem of its own; the mismatches below would name it 'anonymous'.
        var declared = ReadAuthType(section);
        var authType = declared ?? TriggerAuthType.Anonymous;
        var methods = ReadMethods(section.GetSection(MethodsKey));
        var bearer = section.GetSection(BearerTokensKey);
        var jwt = section.GetSection(JwtKey);
        if (declared is { } bearerMismatch && bearerMismatch != TriggerAuthType.Bearer && bearer.Exists())
        {
            _errors.Add($"{bearer.Path}: tokens are set but AuthType is '{bearerMismatch.ToString().ToLowerInvariant()}', so they would not be checked: set AuthType to bearer or remove BearerTokens.");
        }

        if (authType != TriggerAuthType.Jwt && jwt.Exists())
        {
            if (declared is { } jwtMismatch)
            {
                _errors.Add($"{jwt.Path}: JWT settings are present but AuthType is '{jwtMismatch.ToString().ToLowerInvariant()}', so tokens would not be checked: set AuthType to jwt or remove Jwt.");
            }

            _jwt.CheckKeys(jwt);
        }

        return new TriggerSettings
        {
            AuthType = authType,
            BearerTokenHashes = authType == TriggerAuthType.Bearer ? ReadBearerTokens(bearer) : [],
            Jwt = authType == TriggerAuthType.Jwt ? _jwt.Read(jwt) : null,
            Methods = methods,
            AllowHeader = methods is null ? "" : string.Join(", ", methods),
            Cors = _cors.Read(section.GetSection(CorsKey), methods),
        };
    }

    private TriggerAuthType? ReadAuthType(IConfigurationSection section)
    {
        var text = section[nameof(TriggerSettings.AuthType)];
        if (section.GetSection(nameof(TriggerSettings.AuthType)).GetChildren().Any())
        {
            // An object or a list: a problem of its own (not a single value), which names no type to compare with.
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return TriggerAuthType.Anonymous;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case "anonymous":
                return TriggerAuthType.Anonymous;
            case "jwt":
                return TriggerAuthType.Jwt;
            case "bearer":
                return TriggerAuthType.Bearer;
            case "function":
                return TriggerAuthType.Function;
            case "aws_iam":
                return TriggerAuthType.AwsIam;
            default:
                _errors.Add($"{section.Path}:{nameof(TriggerSettings.AuthType)}: '{text}' is not supported: use anonymous, function, aws_iam, jwt or bearer.");
                return null;
        }
    }

    private List<byte[]> ReadBearerTokens(IConfigurationSection section)
    {
        var hashes = new List<byte[]>();
        foreach (var entry in section.GetChildren())
        {
            if (string.IsNullOrWhiteSpace(entry.Value) || entry.Value.Trim() != entry.Value)
            {
                _errors.Add($"{entry.Path}: a bearer token must be non-empty and have no leading or trailing whitespace.");
                continue;
            }

            hashes.Add(SHA256.HashData(Encoding.UTF8.GetBytes(entry.Value)));
        }

        if (hashes.Count == 0 && !section.GetChildren().Any())
        {
            _errors.Add($"{section.Path}: AuthType is bearer but no token is listed: add at least one token (keep it in an environment variable such as Gateway__Triggers__<route>__BearerTokens__0).");
        }

        return hashes;
    }

    private List<string>? ReadMethods(IConfigurationSection section)
    {
        var methods = new List<string>();
        foreach (var entry in section.GetChildren())
        {
            var method = SupportedMethods.FirstOrDefault(m => m.Equals(entry.Value?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (method is null)
            {
                _errors.Add($"{entry.Path}: '{entry.Value}' is not a supported method: use GET, POST, PUT, DELETE, HEAD, PATCH or OPTIONS.");
            }
            else if (!methods.Contains(method))
            {
                methods.Add(method);
            }
        }

        return methods.Count == 0 ? null : methods;
    }
}

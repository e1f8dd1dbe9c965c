using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// Reads <c>Gateway:Triggers</c>, collecting every problem rather than stopping at the first. Settings that look
/// like protection but would not be enforced (tokens on an anonymous trigger, an unknown key) are errors, so a
/// typo never leaves a function open.
/// </summary>
internal sealed class TriggerSettingsReader
{
    private const string CorsKey = "Cors";
    private const string JwtKey = "Jwt";
    private const string BearerTokensKey = "BearerTokens";

    /// <summary>Tolerance for clocks that disagree about <c>exp</c> and <c>nbf</c>.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private static readonly string[] TriggerKeys = [nameof(TriggerSettings.AuthType), BearerTokensKey, JwtKey, "Methods", CorsKey];
    private static readonly string[] JwtKeys = ["Jwks", "TokenLookup", "ClaimPassBy", "Whitelist", "Blacklist", "Issuer", "Audience", "ForwardToken"];
    private static readonly string[] CorsKeys = ["AllowOrigins", "AllowMethods", "AllowHeaders", "ExposeHeaders", "MaxAge", "AllowCredentials"];

    private static readonly string[] SupportedMethods =
    [
        HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Head, HttpMethods.Patch, HttpMethods.Options,
    ];

    /// <summary>Asymmetric algorithms only: a JWKS publishes public keys, and "none" or HMAC must never pass.</summary>
    private static readonly string[] SignatureAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly List<string> _errors;

    private TriggerSettingsReader(List<string> errors) => _errors = errors;

    /// <summary>Reads every trigger under <paramref name="section"/>, adding each problem to <paramref name="errors"/>.</summary>
    public static IReadOnlyDictionary<string, TriggerSettings> Read(IConfigurationSection section, List<string> errors)
    {
        var reader = new TriggerSettingsReader(errors);
        var triggers = new Dictionary<string, TriggerSettings>(StringComparer.OrdinalIgnoreCase);
        foreach (var trigger in section.GetChildren())
        {
            triggers[trigger.Key] = reader.ReadTrigger(trigger);
        }

        return triggers;
    }

    private TriggerSettings ReadTrigger(IConfigurationSection section)
    {
        CheckKeys(section, TriggerKeys);
        var authType = ReadAuthType(section);
        var methods = ReadMethods(section.GetSection("Methods"));
        var bearer = section.GetSection(BearerTokensKey);
        var jwt = section.GetSection(JwtKey);
        if (authType != TriggerAuthType.Bearer && bearer.Exists())
        {
            _errors.Add($"{bearer.Path}: tokens are set but AuthType is '{authType.ToString().ToLowerInvariant()}', so they would not be checked: set AuthType to bearer or remove BearerTokens.");
        }

        if (authType != TriggerAuthType.Jwt && jwt.Exists())
        {
            _errors.Add($"{jwt.Path}: JWT settings are present but AuthType is '{authType.ToString().ToLowerInvariant()}', so tokens would not be checked: set AuthType to jwt or remove Jwt.");
        }

        return new TriggerSettings
        {
            AuthType = authType,
            BearerTokenHashes = authType == TriggerAuthType.Bearer ? ReadBearerTokens(bearer) : [],
            Jwt = authType == TriggerAuthType.Jwt ? ReadJwt(jwt) : null,
            Methods = methods,
            AllowHeader = methods is null ? "" : string.Join(", ", methods),
            Cors = ReadCors(section.GetSection(CorsKey), methods),
        };
    }

    private TriggerAuthType ReadAuthType(IConfigurationSection section)
    {
        var text = section[nameof(TriggerSettings.AuthType)];
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
            default:
                _errors.Add($"{section.Path}:{nameof(TriggerSettings.AuthType)}: '{text}' is not supported: use anonymous, jwt or bearer (FC's signed 'function' authentication is not available).");
                return TriggerAuthType.Anonymous;
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

    private JwtTriggerSettings? ReadJwt(IConfigurationSection section)
    {
        CheckKeys(section, JwtKeys);
        var jwks = section.GetSection("Jwks");
        IReadOnlyList<SecurityKey> keys = [];
        if (!jwks.Exists())
        {
            _errors.Add($"{jwks.Path}: AuthType is jwt but no JWKS is set: add the public keys that sign the tokens as Jwks: {{\"keys\":[…]}}.");
        }
        else
        {
            keys = JwksConfiguration.ReadSigningKeys(jwks, out var jwksError);
            if (jwksError is not null)
            {
                _errors.Add($"{jwks.Path}: {jwksError}");
            }
        }

        var tokenLookup = ReadList(section, "TokenLookup", TokenSource.DefaultLookup, (string text, out IReadOnlyList<TokenSource>? value, out string error) => TokenSource.TryParseList(text, out value, out error));
        var claimPassBy = ReadList(section, "ClaimPassBy", [], (string text, out IReadOnlyList<ClaimPassByRule>? value, out string error) => ClaimPassByRule.TryParseList(text, out value, out error));
        var issuer = ReadOptional(section, "Issuer");
        var audience = ReadOptional(section, "Audience");
        return new JwtTriggerSettings
        {
            ValidationParameters = new TokenValidationParameters
            {
                IssuerSigningKeys = keys,
                IssuerSigningKeyResolver = JwksConfiguration.KeyIdResolver(keys),
                TryAllIssuerSigningKeys = false,
                ValidAlgorithms = SignatureAlgorithms,
                ValidateIssuerSigningKey = true,
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ValidateLifetime = true,
                ClockSkew = ClockSkew,
                ValidateIssuer = issuer is not null,
                ValidIssuer = issuer,
                ValidateAudience = audience is not null,
                ValidAudience = audience,
            },
            TokenLookup = tokenLookup,
            ClaimPassBy = claimPassBy,
            Scope = ReadScope(section),
            ForwardToken = ReadBool(section, "ForwardToken"),
        };
    }

    private delegate bool ListParser<T>(string text, out IReadOnlyList<T>? value, out string error);

    private IReadOnlyList<T> ReadList<T>(IConfigurationSection section, string key, IReadOnlyList<T> defaultValue, ListParser<T> parse)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        if (parse(text, out var value, out var error))
        {
            return value!;
        }

        _errors.Add($"{section.Path}:{key}: {error}");
        return defaultValue;
    }

    private PathScope ReadScope(IConfigurationSection section)
    {
        var whitelist = ReadPathPatterns(section.GetSection("Whitelist"));
        var blacklist = ReadPathPatterns(section.GetSection("Blacklist"));
        if (whitelist.Count > 0 && blacklist.Count > 0)
        {
            _errors.Add($"{section.Path}: both Whitelist and Blacklist are set: use Whitelist (listed paths skip verification) or Blacklist (only listed paths are verified), not both.");
            return PathScope.All;
        }

        return whitelist.Count > 0 ? PathScope.Whitelist(whitelist)
            : blacklist.Count > 0 ? PathScope.Blacklist(blacklist)
            : PathScope.All;
    }

    private List<string> ReadPathPatterns(IConfigurationSection section)
    {
        var patterns = new List<string>();
        foreach (var entry in section.GetChildren())
        {
            var pattern = entry.Value?.Trim() ?? "";
            if (PathScope.IsValidPattern(pattern))
            {
                patterns.Add(pattern);
            }
            else
            {
                _errors.Add($"{entry.Path}: '{entry.Value}' is not a path pattern: write an absolute path (/public/health) or a prefix ending in * (/public/*).");
            }
        }

        return patterns;
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

    private CorsPolicy? ReadCors(IConfigurationSection section, List<string>? triggerMethods)
    {
        if (!section.Exists())
        {
            return null;
        }

        CheckKeys(section, CorsKeys);
        var origins = ReadStrings(section.GetSection("AllowOrigins"));
        var allowCredentials = ReadBool(section, "AllowCredentials");
        var builder = new CorsPolicyBuilder();
        if (origins.Count == 0)
        {
            _errors.Add($"{section.Path}:AllowOrigins: list the origins allowed to call the trigger (https://app.example) or '*'; remove Cors to disable CORS.");
        }
        else if (origins.Contains("*"))
        {
            if (allowCredentials)
            {
                _errors.Add($"{section.Path}:AllowCredentials: browsers refuse credentials with the '*' origin: list the origins explicitly or set AllowCredentials to false.");
            }

            builder.AllowAnyOrigin();
        }
        else
        {
            foreach (var origin in origins.Where(origin => !IsOrigin(origin)))
            {
                _errors.Add($"{section.Path}:AllowOrigins: '{origin}' is not an origin: write scheme://host[:port] without a path, for example https://app.example.");
            }

            builder.WithOrigins([.. origins]);
        }

        var methods = ReadStrings(section.GetSection("AllowMethods"));
        if (methods.Contains("*") || (methods.Count == 0 && triggerMethods is null))
        {
            builder.AllowAnyMethod();
        }
        else
        {
            builder.WithMethods([.. methods.Count == 0 ? triggerMethods! : methods]);
        }

        var headers = ReadStrings(section.GetSection("AllowHeaders"));
        if (headers.Count == 0 || headers.Contains("*"))
        {
            builder.AllowAnyHeader();
        }
        else
        {
            builder.WithHeaders([.. headers]);
        }

        builder.WithExposedHeaders([.. ReadStrings(section.GetSection("ExposeHeaders"))]);
        if (ReadMaxAge(section) is { } maxAge)
        {
            builder.SetPreflightMaxAge(maxAge);
        }

        if (allowCredentials && !origins.Contains("*"))
        {
            builder.AllowCredentials();
        }

        return builder.Build();
    }

    private TimeSpan? ReadMaxAge(IConfigurationSection section)
    {
        var text = section["MaxAge"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        _errors.Add($"{section.Path}:MaxAge: '{text}' must be a whole number of seconds, 0 or more.");
        return null;
    }

    private bool ReadBool(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        _errors.Add($"{section.Path}:{key}: '{text}' is not a boolean (use true or false).");
        return false;
    }

    private static string? ReadOptional(IConfigurationSection section, string key) =>
        string.IsNullOrWhiteSpace(section[key]) ? null : section[key]!.Trim();

    private static List<string> ReadStrings(IConfigurationSection section) =>
        [.. section.GetChildren().Select(entry => entry.Value?.Trim()).Where(value => !string.IsNullOrEmpty(value)).Select(value => value!)];

    private static bool IsOrigin(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && text.Equals(uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    private void CheckKeys(IConfigurationSection section, string[] known)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                _errors.Add($"{child.Path}: unknown setting; the keys here are {string.Join(", ", known)}.");
            }
        }
    }
}

namespace FcGateway.Configuration.Triggers;

/// <summary>
/// Reads the <c>Jwt</c> section of a trigger — the JWKS, where the token is looked for, the claims passed on, the
/// paths verified, issuer and audience — into a <see cref="JwtTriggerSettings"/>, reporting every problem.
/// </summary>
internal sealed class JwtSettingsReader(SettingsErrors errors)
{
    private static readonly SettingKeys JwtKeys = new(
        ["TokenLookup", "ClaimPassBy", "Issuer", "Audience", "ForwardToken"],
        ("Jwks", SettingKind.ValueOrSection), ("Whitelist", SettingKind.List), ("Blacklist", SettingKind.List));

    private delegate bool ListParser<T>(string text, out IReadOnlyList<T>? value, out IReadOnlyList<string> entryErrors);

    /// <summary>
    /// Checks only the keys of the <c>Jwt</c> <paramref name="section"/> of a trigger whose AuthType is not jwt, so a typo in
    /// it is listed beside the AuthType mismatch instead of at the next start.
    /// </summary>
    public void CheckKeys(IConfigurationSection section) => errors.CheckKeys(section, JwtKeys);

    /// <summary>Reads the <c>Jwt</c> <paramref name="section"/> of a trigger whose AuthType is jwt.</summary>
    public JwtTriggerSettings Read(IConfigurationSection section)
    {
        errors.CheckKeys(section, JwtKeys);
        var keys = ReadSigningKeys(section.GetSection("Jwks"));
        var tokenLookup = ReadList(section, "TokenLookup", TokenSource.DefaultLookup, TokenSource.TryParseList);
        var claimPassBy = ReadList<ClaimPassByRule>(section, "ClaimPassBy", [], ClaimPassByRule.TryParseList);
        var issuer = ReadOptional(section, "Issuer");
        var audience = ReadOptional(section, "Audience");
        return new JwtTriggerSettings
        {
            ValidationParameters = JwtValidationPolicy.Create(keys, issuer, audience),
            TokenLookup = tokenLookup,
            ClaimPassBy = claimPassBy,
            Scope = ReadScope(section),
            ForwardToken = errors.ReadBool(section, "ForwardToken"),
        };
    }

    private IReadOnlyList<JwtSigningKey> ReadSigningKeys(IConfigurationSection jwks)
    {
        if (!jwks.Exists())
        {
            errors.Add($"{jwks.Path}: AuthType is jwt but no JWKS is set: add the public keys that sign the tokens as Jwks: {{\"keys\":[…]}}.");
            return [];
        }

        return JwksConfiguration.ReadSigningKeys(jwks, errors);
    }

    private IReadOnlyList<T> ReadList<T>(IConfigurationSection section, string key, IReadOnlyList<T> defaultValue, ListParser<T> parse)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        if (parse(text, out var value, out var entryErrors))
        {
            return value!;
        }

        foreach (var error in entryErrors)
        {
            errors.Add($"{section.Path}:{key}: {error}");
        }

        return defaultValue;
    }

    private PathScope ReadScope(IConfigurationSection section)
    {
        var whitelistSection = section.GetSection("Whitelist");
        var blacklistSection = section.GetSection("Blacklist");
        var whitelist = ReadPathPatterns(whitelistSection);
        var blacklist = ReadPathPatterns(blacklistSection);
        // Whether each has entries, not how many valid patterns it holds: a conflict is reported beside an invalid
        // pattern. An empty list ("Whitelist": []) names no path, so it conflicts with nothing.
        if (whitelistSection.GetChildren().Any() && blacklistSection.GetChildren().Any())
        {
            errors.Add($"{section.Path}: both Whitelist and Blacklist are set: use Whitelist (listed paths skip verification) or Blacklist (only listed paths are verified), not both.");
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
                errors.Add($"{entry.Path}: '{entry.Value}' is not a path pattern: write an absolute path (/public/health) or a prefix ending in * (/public/*).");
            }
        }

        return patterns;
    }

    private static string? ReadOptional(IConfigurationSection section, string key) =>
        string.IsNullOrWhiteSpace(section[key]) ? null : section[key]!.Trim();
}

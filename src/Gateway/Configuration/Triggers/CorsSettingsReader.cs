using System.Globalization;
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace FcGateway.Configuration.Triggers;

/// <summary>
/// Reads the <c>Cors</c> section of a trigger into the <see cref="CorsPolicy"/> built once per settings snapshot,
/// reporting every problem; a combination browsers would refuse ('*' with credentials) is an error.
/// </summary>
internal sealed class CorsSettingsReader(SettingsErrors errors)
{
    private static readonly SettingKeys CorsKeys = new(
        ["MaxAge", "AllowCredentials"],
        ("AllowOrigins", SettingKind.List), ("AllowMethods", SettingKind.List), ("AllowHeaders", SettingKind.List), ("ExposeHeaders", SettingKind.List));

    /// <summary>
    /// The policy in <paramref name="section"/>, or null when there is none; without AllowMethods it allows
    /// <paramref name="triggerMethods"/> (every method when that is null).
    /// </summary>
    public CorsPolicy? Read(IConfigurationSection section, List<string>? triggerMethods)
    {
        if (!section.Exists())
        {
            return null;
        }

        errors.CheckKeys(section, CorsKeys);
        var origins = ReadStrings(section.GetSection("AllowOrigins"));
        var allowCredentials = errors.ReadBool(section, "AllowCredentials");
        var builder = new CorsPolicyBuilder();
        if (origins.Count == 0)
        {
            errors.Add($"{section.Path}:AllowOrigins: list the origins allowed to call the trigger (https://app.example) or '*'; remove Cors to disable CORS.");
        }
        else if (origins.Contains("*"))
        {
            if (allowCredentials)
            {
                errors.Add($"{section.Path}:AllowCredentials: browsers refuse credentials with the '*' origin: list the origins explicitly or set AllowCredentials to false.");
            }

            builder.AllowAnyOrigin();
        }
        else
        {
            foreach (var origin in origins.Where(origin => !IsOrigin(origin)))
            {
                errors.Add($"{section.Path}:AllowOrigins: '{origin}' is not an origin: write scheme://host[:port] without a path, for example https://app.example.");
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

        errors.Add($"{section.Path}:MaxAge: '{text}' must be a whole number of seconds, 0 or more.");
        return null;
    }

    private static List<string> ReadStrings(IConfigurationSection section) =>
        [.. section.GetChildren().Select(entry => entry.Value?.Trim()).Where(value => !string.IsNullOrEmpty(value)).Select(value => value!)];

    private static bool IsOrigin(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && text.Equals(uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
}

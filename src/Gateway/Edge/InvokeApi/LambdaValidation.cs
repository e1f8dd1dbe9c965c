using System.Text.RegularExpressions;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// The shapes Lambda's Invoke accepts for <c>FunctionName</c> (1 to 170 characters), <c>?Qualifier=</c> (1 to 128),
/// <c>X-Amz-Invocation-Type</c> and <c>X-Amz-Log-Type</c> (their values, as spelt); anything else it refuses as
/// <c>ValidationException</c>, listing each constraint the call broke, before it looks for a function. The region and
/// account parts of a name are looser than AWS's (any lowercase region, any number of digits), as the gateway's own
/// <c>Gateway:Region</c> and <c>Gateway:AccountId</c> need not look like AWS's; a name they do not match is then not found.
/// </summary>
internal static partial class LambdaValidation
{
    private const int MaxFunctionNameLength = 170;
    private const int MaxQualifierLength = 128;
    private const string FunctionNamePattern = @"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z0-9-]+:)?(\d+:)?(function:)?([a-zA-Z0-9_.-]+)(:(\$LATEST|[a-zA-Z0-9_-]+))?";
    private const string QualifierPattern = @"(|[a-zA-Z0-9$_-]+)";
    private const string ErrorsDetected = " detected: ";

    public const string RequestResponse = "RequestResponse";
    public const string Event = "Event";
    public const string DryRun = "DryRun";
    public const string None = "None";
    public const string Tail = "Tail";

    /// <summary>Lambda's <c>ValidationException</c> message for the constraints the call breaks, or null when it breaks none.</summary>
    /// <param name="functionName">The name in the path.</param>
    /// <param name="qualifier"><c>?Qualifier=</c>; null when the call has none.</param>
    /// <param name="invocationType"><c>X-Amz-Invocation-Type</c>; empty when the call has none.</param>
    /// <param name="logType"><c>X-Amz-Log-Type</c>; empty when the call has none.</param>
    /// <param name="invocationTypes">The invocation types the API takes.</param>
    public static string? Problem(string functionName, string? qualifier, string invocationType, string logType, string[] invocationTypes)
    {
        List<string>? broken = null;
        if (!FunctionName().IsMatch(functionName))
        {
            Add(ref broken, functionName, "functionName", "Member must satisfy regular expression pattern: " + FunctionNamePattern);
        }

        if (functionName.Length > MaxFunctionNameLength)
        {
            Add(ref broken, functionName, "functionName", $"Member must have length less than or equal to {MaxFunctionNameLength}");
        }

        if (qualifier is not null)
        {
            if (!Qualifier().IsMatch(qualifier))
            {
                Add(ref broken, qualifier, "qualifier", "Member must satisfy regular expression pattern: " + QualifierPattern);
            }

            if (qualifier.Length is 0 or > MaxQualifierLength)
            {
                Add(ref broken, qualifier, "qualifier", qualifier.Length == 0
                    ? "Member must have length greater than or equal to 1"
                    : $"Member must have length less than or equal to {MaxQualifierLength}");
            }
        }

        if (invocationType.Length > 0 && !invocationTypes.Contains(invocationType))
        {
            Add(ref broken, invocationType, "invocationType", $"Member must satisfy enum value set: [{string.Join(", ", invocationTypes)}]");
        }

        if (logType.Length > 0 && logType is not (None or Tail))
        {
            Add(ref broken, logType, "logType", $"Member must satisfy enum value set: [{None}, {Tail}]");
        }

        return broken switch
        {
            null => null,
            [var one] => "1 validation error" + ErrorsDetected + one,
            _ => $"{broken.Count} validation errors{ErrorsDetected}{string.Join("; ", broken)}",
        };
    }

    /// <summary>Whether <paramref name="message"/> is one <see cref="Problem"/> wrote.</summary>
    public static bool IsProblem(string? message) =>
        message is [>= '1' and <= '9', ' ', ..] && message.AsSpan(2).StartsWith("validation error", StringComparison.Ordinal)
        && message.Contains(ErrorsDetected, StringComparison.Ordinal);

    private static void Add(ref List<string>? broken, string value, string member, string constraint) =>
        (broken ??= []).Add($"Value '{value}' at '{member}' failed to satisfy constraint: {constraint}");

    [GeneratedRegex("^" + FunctionNamePattern + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex FunctionName();

    [GeneratedRegex("^" + QualifierPattern + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex Qualifier();
}

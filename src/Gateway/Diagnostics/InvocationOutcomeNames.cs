namespace FcGateway.Diagnostics;

/// <summary>
/// The low-cardinality names of <see cref="InvocationOutcome"/> used as <c>error.type</c> and
/// <c>fcgateway.outcome</c> values, computed once so no request formats an enum.
/// </summary>
internal static class InvocationOutcomeNames
{
    private static readonly string[] Names = Create();

    public static string Of(InvocationOutcome outcome) => Names[(int)outcome];

    private static string[] Create()
    {
        var outcomes = Enum.GetValues<InvocationOutcome>();
        var names = new string[outcomes.Length];
        foreach (var outcome in outcomes)
        {
            names[(int)outcome] = SnakeCase(outcome.ToString());
        }

        return names;
    }

    private static string SnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}

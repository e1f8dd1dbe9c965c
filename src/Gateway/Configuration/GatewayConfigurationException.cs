
namespace FcGateway.Configuration;

/// <summary>Thrown at start-up when the configuration is invalid; the message lists every problem found.</summary>
public sealed class GatewayConfigurationException : Exception
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public GatewayConfigurationException(IReadOnlyList<string> problems)
        : base(FormatMessage(problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found, each telling how to fix it.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string FormatMessage(IReadOnlyList<string> problems) =>
        $"The gateway configuration is invalid ({problems.Count} problem(s)):{Environment.NewLine}- "
        + string.Join($"{Environment.NewLine}- ", problems);
}

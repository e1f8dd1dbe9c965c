using System.Net;

namespace FcGateway.Configuration;

internal static partial class ListenerCollisions
{
    private const string InForce = " (in force)";

    /// <summary>
    /// The endpoints in force on port 0 (any free port) that <paramref name="edited"/> keeps as they are, each by the port
    /// it took: Kestrel leaves those bound, and binds the edit's new endpoints beside them. One the edit changes or removes
    /// is left out, since Kestrel stops those before it binds the new ones; so is one whose defaults the edit changes
    /// (<see cref="InheritedSettings"/>), which Kestrel rebinds as well. An address two endpoints on port 0 could have taken (the same
    /// scheme and address) is named by both, and left out only when the edit changes or removes both.
    /// </summary>
    /// <param name="listeners">The listeners checked.</param>
    /// <param name="inForce">The <c>Kestrel</c> section in force (<see cref="AcceptedKestrelSection"/>).</param>
    /// <param name="edited">The edit's <c>Kestrel</c> section.</param>
    /// <param name="bound">The addresses the endpoints in force listen on, as bound.</param>
    /// <param name="development">The developer certificate file Kestrel looks for (<see cref="KestrelDefaultCertificate"/>).</param>
    private static void AddEndpointsKeptOnPort0(
        List<Listener> listeners, IConfigurationSection inForce, IConfigurationSection edited, IEnumerable<string> bound, KestrelDevelopmentCertificate development)
    {
        var onPort0 = inForce.GetSection("Endpoints").GetChildren().Where(endpoint => Parse(endpoint["Url"]) is { Port: 0 }).ToList();
        foreach (var address in bound)
        {
            var owners = onPort0.Where(endpoint => MayHaveBound(endpoint["Url"]!, address)).ToList();
            if (owners.Exists(endpoint => IsKept(endpoint, inForce, edited, development)))
            {
                Add(listeners, string.Join(" or ", owners.Select(endpoint => $"{endpoint.Path}:Url")), InForce, address);
            }
        }
    }

    /// <summary>
    /// Whether an endpoint configured on <paramref name="url"/>, port 0, may be the one bound at <paramref name="address"/>:
    /// the same scheme, and the same address (a host name, <c>*</c> or <c>+</c> binds <c>[::]</c>, else <c>0.0.0.0</c>).
    /// </summary>
    private static bool MayHaveBound(string url, string address)
    {
        if (Parse(url) is not { } configured || Parse(address) is not { } taken
            || !string.Equals(configured.Scheme, taken.Scheme, StringComparison.OrdinalIgnoreCase)
            || !IPAddress.TryParse(taken.Host.Trim('[', ']'), out var takenIp))
        {
            return false;
        }

        return IPAddress.TryParse(configured.Host.Trim('[', ']'), out var ip)
            ? ip.Equals(takenIp)
            : takenIp.Equals(IPAddress.IPv6Any) || takenIp.Equals(IPAddress.Any);
    }

    /// <summary>
    /// Whether the <c>Kestrel</c> section <paramref name="edited"/> keeps <paramref name="endpoint"/> as it is in
    /// <paramref name="inForce"/>, as Kestrel's reload judges it: Kestrel leaves it bound when its name, its own settings
    /// (their keys and values, as text) and what it takes from the section (<see cref="InheritedSettings"/>, as parsed)
    /// are all the same, and rebinds it otherwise.
    /// </summary>
    private static bool IsKept(IConfigurationSection endpoint, IConfigurationSection inForce, IConfigurationSection edited, KestrelDevelopmentCertificate development) =>
        edited.GetSection("Endpoints").GetChildren().FirstOrDefault(after => after.Key == endpoint.Key) is { } kept
        && AreTheSame(endpoint, kept)
        && InheritedSettings.Of(endpoint, inForce, development) == InheritedSettings.Of(kept, edited, development);

    private static bool AreTheSame(IConfigurationSection before, IConfigurationSection after)
    {
        var (settingsBefore, settingsAfter) = (Settings(before), Settings(after));
        return settingsBefore.Count == settingsAfter.Count
            && settingsBefore.All(setting => settingsAfter.TryGetValue(setting.Key, out var value) && value == setting.Value);
    }

    /// <summary>
    /// The settings of <paramref name="section"/>, its own value among them, by their keys under it in the letter case
    /// they are written in, as Kestrel compares them.
    /// </summary>
    private static Dictionary<string, string> Settings(IConfigurationSection section) =>
        section.AsEnumerable().Where(setting => setting.Value is not null)
            .ToDictionary(setting => setting.Key[section.Path.Length..], setting => setting.Value!, StringComparer.Ordinal);

    private static BindingAddress? Parse(string? url)
    {
        try
        {
            return BindingAddress.Parse(url ?? "");
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

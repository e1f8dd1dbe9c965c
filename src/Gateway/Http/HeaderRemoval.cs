namespace FcGateway.Http;

/// <summary>Removes the headers whose names match a rule: collected first, since a dictionary is not changed while it is enumerated.</summary>
internal static class HeaderRemoval
{
    /// <summary>Removes every header of <paramref name="headers"/> whose name <paramref name="matches"/>; nothing is allocated when none does.</summary>
    public static void RemoveWhere(IHeaderDictionary headers, Func<string, bool> matches)
    {
        List<string>? names = null;
        foreach (var header in headers)
        {
            if (matches(header.Key))
            {
                (names ??= []).Add(header.Key);
            }
        }

        foreach (var name in names ?? [])
        {
            headers.Remove(name);
        }
    }
}

namespace FcGateway.Http;

/// <summary>
/// Header names as CGI- and WSGI-style servers read them: <c>_</c> and <c>-</c> alike and case ignored, so a
/// client's <c>X_User_Id</c> reaches such a function as <c>X-User-Id</c>, and <c>x_fc_request_id</c> as the
/// gateway's <c>x-fc-request-id</c>. A name the gateway writes or reserves must be guarded in every such spelling.
/// </summary>
internal static class CgiHeaderNames
{
    /// <summary>Whether <paramref name="left"/> and <paramref name="right"/> are one name to a CGI-style server.</summary>
    public static bool AreSame(ReadOnlySpan<char> left, ReadOnlySpan<char> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (var i = 0; i < left.Length; i++)
        {
            if (Fold(left[i]) != Fold(right[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static char Fold(char c) => c == '_' ? '-' : char.ToLowerInvariant(c);
}

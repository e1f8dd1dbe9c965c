namespace FcGateway.RuntimeApi;

/// <summary>Why the runtime API refused a worker's reply (<c>response</c> or <c>error</c>).</summary>
internal enum ReplyRefusal
{
    /// <summary>No invocation of that id is in flight at the reply's address (404; Lambda's 400).</summary>
    NotInFlight,

    /// <summary>The invocation's reply is already being read (409; Lambda's 403).</summary>
    AlreadyAnswered,

    /// <summary>The reply is over the function's limit (413).</summary>
    TooLarge,

    /// <summary>The reply is not valid HTTP: a malformed chunk or trailer (400).</summary>
    NotHttp,
}

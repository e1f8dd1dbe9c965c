namespace FcWorker.Responses;

/// <summary>The content types of the worker's replies, whichever transport carries them.</summary>
internal static class ContentTypes
{
    public const string Json = "application/json";
    public const string Text = "text/plain; charset=utf-8";
    public const string Binary = "application/octet-stream";
}

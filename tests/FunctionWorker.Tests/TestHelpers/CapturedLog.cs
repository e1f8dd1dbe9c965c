using Microsoft.Extensions.Logging;

namespace FcWorker.Tests.TestHelpers;

/// <summary>One log entry as a provider saw it, with the values of every scope around it.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, int EventId, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> ScopeValues);

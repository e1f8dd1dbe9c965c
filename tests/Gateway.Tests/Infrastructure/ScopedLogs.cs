using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// One log entry with the values of every scope around it, and its <see cref="Fields"/>: the message's fields, then every
/// scope's, duplicates kept, as an OTLP exporter writes them into the record's attributes.
/// </summary>
public sealed record ScopedLogEntry(
    string Category, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Scopes, IReadOnlyList<KeyValuePair<string, object?>> Fields);

/// <summary>A logger provider that records each entry with its scopes, as a console or OTLP logger with scopes on would see it.</summary>
public sealed class ScopedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<ScopedLogEntry> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<ScopedLogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(ScopedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = new List<KeyValuePair<string, object?>>();
            if (state is IEnumerable<KeyValuePair<string, object?>> stateFields)
            {
                fields.AddRange(stateFields);
            }

            var scopes = new Dictionary<string, object?>();
            owner._scopes.ForEachScope(
                static (scope, collected) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var pair in pairs)
                        {
                            collected.Scopes[pair.Key] = pair.Value;
                            collected.Fields.Add(pair);
                        }
                    }
                },
                (Scopes: scopes, Fields: fields));
            owner._entries.Enqueue(new ScopedLogEntry(category, eventId, formatter(state, exception), scopes, fields));
        }
    }
}

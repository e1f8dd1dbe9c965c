using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A logger provider that writes each entry as the console logger does with <c>FormatterName=json</c>: through the JSON
/// formatter the gateway's services hold, with the options the gateway gives it. Register with <see cref="AddTo"/>.
/// </summary>
public sealed class JsonConsoleLines : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private ConsoleFormatter? _formatter;

    private JsonConsoleLines()
    {
    }

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Adds a provider to <paramref name="services"/>, which takes its formatter from them when the logger factory is built.</summary>
    public static JsonConsoleLines AddTo(IServiceCollection services)
    {
        var lines = new JsonConsoleLines();
        services.AddSingleton<ILoggerProvider>(provider =>
        {
            lines._formatter = provider.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);
            return lines;
        });
        return lines;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(JsonConsoleLines owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            using var writer = new StringWriter();
            owner._formatter!.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), scopeProvider: null, writer);
            owner._lines.Enqueue(writer.ToString().TrimEnd('\n'));
        }
    }
}

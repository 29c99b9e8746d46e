using Microsoft.Extensions.Logging;

namespace ClaudeCodeMcp.Mcp;

/// <summary>Diagnostics to a log file or stderr, never stdout. Warnings and errors only, unless verbose.</summary>
internal sealed class TextWriterLoggerFactory(TextWriter writer, LogLevel minimum) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    public bool IsEnabled(LogLevel level) => level >= minimum && level != LogLevel.None;

    public void Write(LogLevel level, string category, string message)
    {
        if (!IsEnabled(level)) return;
        lock (writer)
        {
            writer.WriteLine($"{DateTimeOffset.UtcNow:O} {level} {category}: {message}");
            writer.Flush();
        }
    }

    private sealed class Logger(TextWriterLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => factory.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            factory.Write(logLevel, category, formatter(state, exception) + (exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})"));
    }
}

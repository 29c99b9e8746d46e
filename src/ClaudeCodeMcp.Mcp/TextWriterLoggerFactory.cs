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
            writer.WriteLine($"{DateTimeOffset.UtcNow:O} {level} {category}: {OneLine(message)}");
            writer.Flush();
        }
    }

    /// <summary>
    /// A message may quote what a client sent (an unknown tool's name): one line, control characters escaped,
    /// length capped, so no client can forge log lines or flood the log.
    /// </summary>
    private static string OneLine(string message)
    {
        const int max = 2000;
        var text = new System.Text.StringBuilder(Math.Min(message.Length, max + 20));
        foreach (var c in message.Length > max ? message[..max] : message)
        {
            if (char.IsControl(c)) text.Append(c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => $"\\u{(int)c:x4}" });
            else text.Append(c);
        }
        if (message.Length > max) text.Append($"… ({message.Length - max} more characters)");
        return text.ToString();
    }

    private sealed class Logger(TextWriterLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => factory.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return; // not formatted at all below the level
            factory.Write(logLevel, category, formatter(state, exception) + (exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})"));
        }
    }
}

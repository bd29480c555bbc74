using System.Collections.Concurrent;

namespace Dashboard.Tests.Infrastructure;

/// <summary>Collects what a host logs, so tests can hold a log line to its wording.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Waits until a line at <paramref name="level"/> or above contains every one of <paramref name="parts"/>; returns it.</summary>
    public async Task<string> WaitForAsync(LogLevel level, params string[] parts)
    {
        string? found = null;
        await TestTimeouts.Eventually(() =>
        {
            found = _entries.FirstOrDefault(e => e.Level >= level && parts.All(p => e.Message.Contains(p, StringComparison.Ordinal))).Message;
            return Task.FromResult(found is not null);
        }, $"a log line with {string.Join(", ", parts)}; logged: {string.Join(" | ", _entries.Select(e => e.Message))}");
        return found!;
    }

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture._entries.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}

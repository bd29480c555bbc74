using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit.v3;

[assembly: Dashboard.Tests.Infrastructure.TestLog.AttachFixtureLog]

namespace Dashboard.Tests.Infrastructure;

/// <summary>
/// Where the hosts and processes of the tests log: never the console. What a test starts writes to that test's
/// output, which the test platform prints only when the test fails; what a fixture starts (a fleet shared by a
/// collection) writes to its collection's log, which goes to the output of the test that runs while it is written.
/// A passing run prints nothing of it; a failing test shows its own and its fixtures' lines next to its failure.
/// </summary>
public sealed class TestLog
{
    /// <summary>Lines a collection's fixtures logged that no test has taken yet; beyond this the oldest go.</summary>
    private const int FixtureLines = 2000;

    private static readonly ConcurrentDictionary<string, Pending> ByCollection = new(StringComparer.Ordinal);

    private readonly string _source;
    private readonly Pending _pending;
    private ITestOutputHelper? _output;

    private TestLog(string source, ITestOutputHelper? output, Pending pending)
    {
        _source = source;
        _output = output;
        _pending = pending;
    }

    /// <summary>
    /// A log for <paramref name="source"/> (a short name: "dashboard", "fleet", "prometheus") owned by whatever runs
    /// now: the current test, or the fixture being created.
    /// </summary>
    public static TestLog For(string source)
    {
        var context = TestContext.Current;
        var collection = context.TestCollection?.UniqueID ?? "";
        return new TestLog(source, context.TestOutputHelper, ByCollection.GetOrAdd(collection, _ => new Pending()));
    }

    /// <summary>In-process hosts: their console logger stays silent (see <see cref="QuietConsole"/>); this provider takes its place.</summary>
    public ILoggerProvider LoggerProvider => new Provider(this);

    /// <summary>What every test-built host logs: its own categories from Information, the framework's warnings.</summary>
    public void AddTo(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddProvider(LoggerProvider);
    }

    public void Write(string line)
    {
        var stamped = string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss.fff} {_source}] {line}");
        if (_output is { } output)
        {
            try
            {
                output.WriteLine(stamped);
                return;
            }
            catch (InvalidOperationException)
            {
                // The test that started the source has ended while it runs on (a fixture's lazily started dashboard):
                // its lines go to the tests of the collection that come next.
                _output = null;
            }
        }

        _pending.Add(stamped);
    }

    /// <summary>
    /// Child processes inherit the test process's environment, which silences the console logger of every .NET
    /// host (<see cref="QuietConsole"/>); a process whose output the tests capture logs to its console as usual.
    /// </summary>
    public static void LetConsoleLog(IDictionary<string, string?> environment) => environment.Remove(QuietConsole.Variable);

    /// <summary>Gives each test the lines its collection's fixtures logged since the test before it ended.</summary>
    [AttributeUsage(AttributeTargets.Assembly)]
    public sealed class AttachFixtureLogAttribute : BeforeAfterTestAttribute
    {
        public override void After(MethodInfo methodUnderTest, IXunitTest test)
        {
            if (TestContext.Current.TestOutputHelper is { } output && ByCollection.TryGetValue(test.TestCase.TestCollection.UniqueID, out var pending))
            {
                pending.DrainTo(output);
            }
        }
    }

    /// <summary>
    /// Silences the console logger of the .NET hosts the tests run in this process (the fleet, proxies, fakes):
    /// their default host builders read the environment, and a test run that printed them would print thousands of lines.
    /// </summary>
    internal static class QuietConsole
    {
        public const string Variable = "Logging__Console__LogLevel__Default";

        [ModuleInitializer]
        internal static void Silence() => Environment.SetEnvironmentVariable(Variable, nameof(LogLevel.None));
    }

    private sealed class Pending
    {
        private readonly Queue<string> _lines = new();
        private int _dropped;

        public void Add(string line)
        {
            lock (_lines)
            {
                if (_lines.Count == FixtureLines)
                {
                    _lines.Dequeue();
                    _dropped++;
                }

                _lines.Enqueue(line);
            }
        }

        public void DrainTo(ITestOutputHelper output)
        {
            lock (_lines)
            {
                if (_lines.Count == 0)
                {
                    return;
                }

                output.WriteLine(_dropped > 0 ? $"--- the fixtures' log ({_dropped} earlier lines dropped):" : "--- the fixtures' log:");
                while (_lines.TryDequeue(out var line))
                {
                    output.WriteLine(line);
                }

                _dropped = 0;
            }
        }
    }

    private sealed class Provider(TestLog log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(log, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(TestLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            log.Write(exception is null ? $"{logLevel}: {category}: {message}" : $"{logLevel}: {category}: {message}\n{exception}");
        }
    }
}

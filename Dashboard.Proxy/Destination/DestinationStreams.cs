using System.Collections.Concurrent;

namespace Dashboard.Proxy.Destination;

/// <summary>The open <c>Get</c> streams per target as asked (<c>authority web.default:80</c>, <c>address 10.96.0.10:80</c>): who holds what.</summary>
public sealed class DestinationStreams
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>Streams open now for <paramref name="target"/> (0 when none ever was).</summary>
    public int Open(string target) => _open.GetValueOrDefault(target);

    /// <summary>Streams open now, of every target.</summary>
    public int Total => _open.Values.Sum();

    /// <summary>Counts a stream as open until the returned handle is disposed.</summary>
    internal IDisposable Track(string target)
    {
        _open.AddOrUpdate(target, 1, static (_, n) => n + 1);
        return new Closer(this, target);
    }

    private sealed class Closer(DestinationStreams streams, string target) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                streams._open.AddOrUpdate(target, 0, static (_, n) => n - 1);
            }
        }
    }
}

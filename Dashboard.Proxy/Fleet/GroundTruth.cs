namespace Dashboard.Proxy.Fleet;

/// <summary>
/// What really happened: every request a fleet app served (server side) and every request a traffic
/// generator sent (client side), kept for an hour, so tests can hold the dashboard's numbers against it.
/// </summary>
public sealed class GroundTruth(TimeProvider time)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    private readonly Lock _lock = new();
    private readonly Dictionary<ServerKey, SampleLog> _server = [];
    private readonly Dictionary<string, SampleLog> _client = [];

    public TimeProvider Time => time;

    /// <summary>When the fleet started: the origin of its periodic spikes and faults (<see cref="Manifest.FleetSchedule"/>).</summary>
    public DateTimeOffset Started { get; } = time.GetUtcNow();

    /// <summary>How long the fleet has been running.</summary>
    public TimeSpan SinceStart => time.GetUtcNow() - Started;

    public void RecordServer(string @namespace, string? deployment, string pod, string method, string path, int status, double latencyMs) =>
        Log(_server, new ServerKey(@namespace, deployment, pod, method, path)).Add(new Sample(time.GetUtcNow(), status, latencyMs));

    /// <param name="status">The HTTP status the client got, or 0 when the request failed without one.</param>
    public void RecordClient(string traffic, int status, double latencyMs) =>
        Log(_client, traffic).Add(new Sample(time.GetUtcNow(), status, latencyMs));

    public IReadOnlyList<(ServerKey Key, Sample[] Samples)> ServerSamples(DateTimeOffset since)
    {
        lock (_lock)
        {
            return [.. _server.Select(kv => (kv.Key, kv.Value.Since(since)))];
        }
    }

    public IReadOnlyList<(string Traffic, Sample[] Samples)> ClientSamples(DateTimeOffset since)
    {
        lock (_lock)
        {
            return [.. _client.Select(kv => (kv.Key, kv.Value.Since(since)))];
        }
    }

    private SampleLog Log<TKey>(Dictionary<TKey, SampleLog> logs, TKey key) where TKey : notnull
    {
        lock (_lock)
        {
            if (!logs.TryGetValue(key, out var log))
            {
                logs[key] = log = new SampleLog();
            }

            return log;
        }
    }

    public readonly record struct ServerKey(string Namespace, string? Deployment, string Pod, string Method, string Path);

    public readonly record struct Sample(DateTimeOffset At, int Status, double LatencyMs);

    private sealed class SampleLog
    {
        private readonly Queue<Sample> _samples = new();

        public void Add(Sample sample)
        {
            lock (_samples)
            {
                _samples.Enqueue(sample);
                while (_samples.Peek().At < sample.At - Retention)
                {
                    _samples.Dequeue();
                }
            }
        }

        public Sample[] Since(DateTimeOffset since)
        {
            lock (_samples)
            {
                return [.. _samples.Where(s => s.At >= since)];
            }
        }
    }
}

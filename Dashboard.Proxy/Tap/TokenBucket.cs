namespace Dashboard.Proxy.Tap;

/// <summary>Admits at most <c>rate</c> items per second on average, with a burst of one second's worth.</summary>
internal sealed class TokenBucket(double rate, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly double _capacity = Math.Max(1, rate);
    private double _tokens = Math.Max(1, rate);
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * rate));
            _last = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}

namespace Dashboard.Proxy.Fleet.Manifest;

/// <summary>
/// When the fleet's periodic causes (traffic spikes, periodic faults) are active: the last <c>duration</c> seconds of
/// every <c>every</c> seconds since the fleet started. One clock for all, so the truth can say when each episode was.
/// </summary>
public static class FleetSchedule
{
    public static bool Active(TimeSpan sinceStart, double everySeconds, double durationSeconds) =>
        sinceStart >= TimeSpan.Zero && sinceStart.TotalSeconds % everySeconds >= everySeconds - durationSeconds;

    /// <summary>The active intervals that overlap [<paramref name="from"/>, <paramref name="to"/>], clipped to it, oldest first.</summary>
    public static IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> Episodes(
        DateTimeOffset started, double everySeconds, double durationSeconds, DateTimeOffset from, DateTimeOffset to)
    {
        var episodes = new List<(DateTimeOffset, DateTimeOffset)>();
        var first = Math.Max(0, Math.Floor((from - started).TotalSeconds / everySeconds));
        for (var k = first; ; k++)
        {
            var start = started + TimeSpan.FromSeconds(((k + 1) * everySeconds) - durationSeconds);
            var end = started + TimeSpan.FromSeconds((k + 1) * everySeconds);
            if (start >= to)
            {
                break;
            }

            if (end > from)
            {
                episodes.Add((start < from ? from : start, end > to ? to : end));
            }
        }

        return episodes;
    }
}

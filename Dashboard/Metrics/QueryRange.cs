namespace Dashboard.Metrics;

/// <summary>The instants a range query evaluates: from <paramref name="Start"/> to <paramref name="End"/> every <paramref name="Step"/>.</summary>
public readonly record struct QueryRange(DateTimeOffset Start, DateTimeOffset End, TimeSpan Step);

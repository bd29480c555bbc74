namespace Dashboard.Tap;

/// <summary>A tap query that cannot start: what it names does not exist or has nothing to tap. The message says which.</summary>
public sealed class TapQueryException(string message) : Exception(message);

namespace Dashboard.Model;

/// <summary>The colour of a success rate; <see cref="StatFormat.HealthOf"/> holds the thresholds.</summary>
public enum Health
{
    /// <summary>No data: grey.</summary>
    None,

    /// <summary>Red.</summary>
    Bad,

    /// <summary>Orange.</summary>
    Warn,

    /// <summary>Green.</summary>
    Good,
}

public static class HealthExtensions
{
    /// <summary><c>good</c>, <c>warn</c>, <c>bad</c>, <c>none</c>: the suffix of the tables' dot classes (<c>dot-good</c>) and of the <c>--health-*</c> colours.</summary>
    public static string CssName(this Health health) => health.ToString().ToLowerInvariant();
}

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

namespace Dashboard.Metrics;

/// <summary>A Prometheus query did not give an answer; catch this to handle both causes alike.</summary>
public abstract class PrometheusException : Exception
{
    protected PrometheusException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

namespace Dashboard.Metrics;

/// <summary>Prometheus answered, and refused the query (Prometheus' <c>"status":"error"</c>).</summary>
public sealed class PrometheusQueryException : PrometheusException
{
    public PrometheusQueryException(string query, string errorType, string error, int statusCode)
        : base($"Prometheus refused the query ({errorType}, HTTP {statusCode}): {error}. Query: {query}")
    {
        Query = query;
        ErrorType = errorType;
        Error = error;
        StatusCode = statusCode;
    }

    public string Query { get; }

    /// <summary>Prometheus' <c>errorType</c>: <c>bad_data</c>, <c>execution</c>, <c>timeout</c>, …</summary>
    public string ErrorType { get; }

    public string Error { get; }

    public int StatusCode { get; }
}

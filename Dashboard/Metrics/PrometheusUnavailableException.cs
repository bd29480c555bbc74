namespace Dashboard.Metrics;

/// <summary>Prometheus could not be reached, did not answer in time, or what answered is not Prometheus' API.</summary>
public sealed class PrometheusUnavailableException : PrometheusException
{
    public PrometheusUnavailableException(Uri url, string reason, Exception? innerException = null)
        : base($"Prometheus at {Display(url)} is unreachable: {reason}", innerException)
    {
        Url = url;
        Reason = reason;
    }

    /// <summary>The base address of Prometheus (not the query's URL).</summary>
    public Uri Url { get; }

    public string Reason { get; }

    /// <summary><c>http://127.0.0.1:9090</c>, as a person writes it: no trailing slash.</summary>
    public static string Display(Uri url) => url.GetLeftPart(UriPartial.Path).TrimEnd('/');
}

using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Dashboard.Metrics;

/// <summary>
/// Prometheus' HTTP query API. Every query is bounded by <see cref="QueryTimeout"/>; failures come out as
/// <see cref="PrometheusQueryException"/> (Prometheus refused the query) or
/// <see cref="PrometheusUnavailableException"/> (no usable answer); the caller's own cancellation stays an
/// <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class PrometheusClient
{
    public static readonly TimeSpan DefaultQueryTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private long _queriesSent;

    /// <param name="http">Owned by the caller (in the app, by <c>IHttpClientFactory</c>).</param>
    /// <param name="baseUri">Where Prometheus serves, e.g. <c>http://127.0.0.1:9090</c>; a path prefix is kept.</param>
    /// <param name="queryTimeout">The bound of one query; <see cref="DefaultQueryTimeout"/> when null.</param>
    public PrometheusClient(HttpClient http, Uri baseUri, TimeSpan? queryTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUri);
        if (!baseUri.IsAbsoluteUri)
        {
            throw new ArgumentException($"'{baseUri}' is not an absolute URL", nameof(baseUri));
        }

        var timeout = queryTimeout ?? DefaultQueryTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(queryTimeout));
        _http = http;
        // A trailing slash, so that "api/v1/query" resolves under a prefix such as /prometheus/.
        BaseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        QueryTimeout = timeout;
    }

    public Uri BaseUri { get; }

    public TimeSpan QueryTimeout { get; }

    /// <summary>Queries sent so far (instant and range), for tests and benchmarks that count queries per refresh.</summary>
    public long QueriesSent => Interlocked.Read(ref _queriesSent);

    /// <summary>An instant query at <paramref name="time"/> (Prometheus' "now" when null).</summary>
    public Task<IReadOnlyList<PromSample>> QueryAsync(string promql, DateTimeOffset? time, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(promql);
        var query = new StringBuilder("api/v1/query?");
        AppendParameters(query, promql);
        if (time is { } at)
        {
            query.Append("&time=").Append(UnixSeconds(at));
        }

        Interlocked.Increment(ref _queriesSent);
        return SendAsync(query.ToString(), promql, PrometheusResponse.ReadVector, cancellationToken);
    }

    /// <summary>A range query: the expression evaluated from <paramref name="start"/> to <paramref name="end"/> every <paramref name="step"/>.</summary>
    public Task<IReadOnlyList<PromSeries>> QueryRangeAsync(
        string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(promql);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        var query = new StringBuilder("api/v1/query_range?");
        AppendParameters(query, promql);
        query.Append("&start=").Append(UnixSeconds(start))
            .Append("&end=").Append(UnixSeconds(end))
            .Append("&step=").Append(Seconds(step));
        Interlocked.Increment(ref _queriesSent);
        return SendAsync(query.ToString(), promql, PrometheusResponse.ReadMatrix, cancellationToken);
    }

    /// <summary>The recording rules Prometheus evaluates (<c>/api/v1/rules?type=record</c>), with each one's health.</summary>
    public Task<IReadOnlyList<RecordingRule>> GetRecordingRulesAsync(CancellationToken cancellationToken) =>
        SendAsync("api/v1/rules?type=record", "(the list of recording rules)", PrometheusResponse.ReadRecordingRules, cancellationToken);

    private void AppendParameters(StringBuilder query, string promql) =>
        // Prometheus' own evaluation timeout too, so it stops work that nobody will read.
        query.Append("query=").Append(Uri.EscapeDataString(promql)).Append("&timeout=").Append(Seconds(QueryTimeout));

    private async Task<T> SendAsync<T>(string relativeUri, string promql, Func<PrometheusResponse.Answer, T> read, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(QueryTimeout);
        try
        {
            using var response = await _http.GetAsync(new Uri(BaseUri, relativeUri), HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                .ConfigureAwait(false);
            var (answer, problem) = await ReadAnswerAsync(response, timeout.Token).ConfigureAwait(false);
            if (answer is not null && PrometheusResponse.ReadError(answer) is { } error)
            {
                throw new PrometheusQueryException(promql, error.ErrorType, error.Error, (int)response.StatusCode);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Unavailable($"it answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}, which is not Prometheus' query API");
            }

            if (answer is null)
            {
                throw Unavailable(problem ?? "its answer is not JSON, so it is not Prometheus' query API");
            }

            try
            {
                return read(answer);
            }
            catch (FormatException e)
            {
                throw Unavailable($"its answer is not in Prometheus' format ({e.Message})", e);
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(timeout.IsCancellationRequested
                ? $"no answer within {Seconds(QueryTimeout)}s"
                : $"no answer within the HTTP client's timeout of {Seconds(_http.Timeout)}s", e);
        }
        catch (HttpRequestException e)
        {
            throw Unavailable(Reason(e), e);
        }
        catch (IOException e)
        {
            throw Unavailable($"the answer broke off ({e.Message})", e);
        }
    }

    /// <summary>The answer, or why there is none: not JSON at all, or JSON not in Prometheus' format.</summary>
    private static async Task<(PrometheusResponse.Answer? Answer, string? Problem)> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return (await PrometheusResponse.ReadAsync(stream, cancellationToken).ConfigureAwait(false), null);
            }
            catch (JsonException e) when (e.Path is null or "$" && e.BytePositionInLine is null or 0 && e.LineNumber is null or 0)
            {
                return (null, null); // an HTML error page from a gateway, or an empty body: not Prometheus
            }
            catch (JsonException e)
            {
                return (null, $"its answer is not in Prometheus' format ({e.Message})");
            }
        }
    }

    private PrometheusUnavailableException Unavailable(string reason, Exception? inner = null) => new(BaseUri, reason, inner);

    /// <summary>The socket's words ("Connection refused", "Name or service not known") when there are some.</summary>
    private static string Reason(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.Message;
            }
        }

        return e.Message;
    }

    private static string UnixSeconds(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000m).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}

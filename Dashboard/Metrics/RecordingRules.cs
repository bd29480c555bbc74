namespace Dashboard.Metrics;

/// <summary>
/// Which recording rules Prometheus evaluates with success, asked of its rules API at most once per
/// <see cref="RecheckInterval"/> (after a failed ask, once per <see cref="RetryInterval"/>) and shared by every caller.
/// A rule that is missing, failing or not evaluated yet counts as absent: the tables then query the raw series,
/// which gives the same numbers at a higher cost to Prometheus. Changes in the state of the dashboard's own rules
/// (<see cref="PromQl.RecordingRules"/>) are logged once each.
/// </summary>
public sealed partial class RecordingRules
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private readonly PrometheusClient _prometheus;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Task<Answer>? _answer;
    private string? _reported;

    public RecordingRules(PrometheusClient prometheus, TimeProvider time, ILogger<RecordingRules>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(prometheus);
        ArgumentNullException.ThrowIfNull(time);
        _prometheus = prometheus;
        _time = time;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<RecordingRules>.Instance;
    }

    /// <summary>Whether Prometheus records <paramref name="name"/> and its last evaluation succeeded.</summary>
    public async Task<bool> IsHealthyAsync(string name, CancellationToken cancellationToken)
    {
        Task<Answer> answer;
        lock (_lock)
        {
            if (_answer is not { IsCompleted: true } done || _time.GetUtcNow() >= done.Result.Expires)
            {
                _answer = _answer is { IsCompleted: false } pending ? pending : AskAsync();
            }

            answer = _answer;
        }

        return (await answer.WaitAsync(cancellationToken).ConfigureAwait(false)).Healthy.Contains(name);
    }

    // Not the caller's token: the answer is shared, and PrometheusClient bounds it with its query timeout.
    private async Task<Answer> AskAsync()
    {
        try
        {
            var rules = await _prometheus.GetRecordingRulesAsync(CancellationToken.None).ConfigureAwait(false);
            Report(rules);
            // A name is as healthy as the least healthy of its rules (the pods' quantiles are three rules of one name).
            return new Answer(
                rules.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.All(r => r.IsHealthy)).Select(g => g.Key).ToHashSet(StringComparer.Ordinal),
                _time.GetUtcNow() + RecheckInterval);
        }
        catch (PrometheusException e)
        {
            LogUnanswered(_logger, e.Message);
            return new Answer(new HashSet<string>(), _time.GetUtcNow() + RetryInterval);
        }
    }

    private void Report(IReadOnlyList<RecordingRule> rules)
    {
        var ours = PromQl.RecordingRules.Select(r => r.Record).Distinct()
            .Select(name => (Name: name, Rule: rules.Where(p => p.Name == name).OrderBy(p => p.IsHealthy).FirstOrDefault())).ToList();
        var missing = string.Join(", ", ours.Where(r => r.Rule is null).Select(r => r.Name));
        var failing = string.Join("; ", ours.Where(r => r.Rule is { Health: "err" }).Select(r => $"{r.Name}: {r.Rule!.LastError ?? "(no error given)"}"));
        var pending = string.Join(", ", ours.Where(r => r.Rule is { IsHealthy: false } and not { Health: "err" }).Select(r => r.Name));
        var state = $"{missing}|{failing}|{pending}";
        if (state == Interlocked.Exchange(ref _reported, state))
        {
            return;
        }

        var window = PromQl.RecordedWindow;
        if (ours.All(r => r.Rule is null))
        {
            LogMissing(_logger, window);
            return;
        }

        if (missing.Length > 0)
        {
            LogSomeMissing(_logger, missing, window);
        }

        if (failing.Length > 0)
        {
            LogFailing(_logger, failing, window);
        }

        if (pending.Length > 0)
        {
            LogNotYetEvaluated(_logger, pending, window);
        }

        if (ours.All(r => r.Rule is { IsHealthy: true }))
        {
            LogRecorded(_logger, PromQl.RecordingRules.Count, window);
        }
    }

    private sealed record Answer(IReadOnlySet<string> Healthy, DateTimeOffset Expires);

    [LoggerMessage(Level = LogLevel.Information, Message = "Prometheus evaluates the dashboard's {Count} recording rules: tables over {Window} read them instead of the raw latency histogram")]
    private static partial void LogRecorded(ILogger logger, int count, Model.StatWindow window);

    [LoggerMessage(Level = LogLevel.Information, Message = "Prometheus has none of the dashboard's recording rules: tables over {Window} query the raw latency histogram, " +
        "which costs Prometheus more with many pods (add docker/prometheus/rules.yml to its rule_files)")]
    private static partial void LogMissing(ILogger logger, Model.StatWindow window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prometheus lacks the recording rules {Rules}: their tables over {Window} query the raw latency histogram (docker/prometheus/rules.yml has them all)")]
    private static partial void LogSomeMissing(ILogger logger, string rules, Model.StatWindow window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prometheus' recording rules fail ({Errors}): their tables over {Window} query the raw latency histogram")]
    private static partial void LogFailing(ILogger logger, string errors, Model.StatWindow window);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Prometheus has not evaluated {Rules} yet: their tables over {Window} query the raw latency histogram until it has")]
    private static partial void LogNotYetEvaluated(ILogger logger, string rules, Model.StatWindow window);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Prometheus did not list its recording rules ({Reason}); asking again shortly")]
    private static partial void LogUnanswered(ILogger logger, string reason);
}

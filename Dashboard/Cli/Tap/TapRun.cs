using Dashboard.Contracts.Durations;
using Dashboard.Tap;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Cli.Tap;

/// <summary>
/// One tap of <c>tap</c> or <c>top</c>: through the dashboard's stream (<see cref="DashboardTapStream"/>), or with
/// <c>--direct</c> on the dashboard's own machinery here: targets from the inventory (<see cref="TapTargetResolver"/>),
/// one <see cref="TapSession"/> over their proxies. Either way it fails the command when
/// nothing can be tapped: the resource is unknown or has no meshed pod, every proxy refuses, or none answers
/// within <c>--timeout</c>. Problems of some pods while others stream are warnings on standard error.
/// </summary>
internal sealed class TapRun : IAsyncDisposable
{
    private readonly CliContext _context;
    private readonly ITapStream _session;
    private readonly TaskCompletionSource<string> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private bool _streamed;

    private TapRun(CliContext context, ITapStream session, ITapPeerNames peers)
    {
        _context = context;
        _session = session;
        Peers = peers;
    }

    /// <summary>Names callers and destinations: the pods as the tap started, or as the dashboard names them.</summary>
    public ITapPeerNames Peers { get; }

    public TapQuery Query => _session.Query;

    public static async Task<TapRun> StartAsync(CliContext context, TapCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Direct is null)
        {
            var stream = await DashboardTapStream.OpenAsync(context, command.Query, cancellationToken).ConfigureAwait(false);
            foreach (var skipped in stream.Pods.Where(p => p.State == TapPodState.Skipped))
            {
                await context.Console.Error.WriteLineAsync($"not tapping {skipped.Key}: {skipped.Reason}").ConfigureAwait(false);
            }

            var viaDashboard = new TapRun(context, stream, stream);
            stream.PodChanged += viaDashboard.OnPodChanged;
            return viaDashboard;
        }

        var inventory = await context.InventoryAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = inventory.Current;
        TapTargets targets;
        try
        {
            targets = TapTargetResolver.Resolve(snapshot, command.Query);
        }
        catch (TapQueryException e)
        {
            throw CommandException.Failed(e.Message);
        }

        foreach (var skipped in targets.Skipped)
        {
            await context.Console.Error.WriteLineAsync($"not tapping {skipped.Key}: {skipped.Reason}").ConfigureAwait(false);
        }

        var options = new TapConnectionOptions(command.Direct.Token) { ConnectTimeout = context.Timeout, TokenSource = command.Direct.TokenSource };
        var session = new TapSession(command.Query, targets, options, context.Time, NullLogger.Instance);
        var run = new TapRun(context, session, new TapPodDirectory(snapshot));
        session.PodChanged += run.OnPodChanged;
        session.Start();
        return run;
    }

    /// <summary>
    /// Hands each batch of events to <paramref name="onBatch"/> until <paramref name="cancellationToken"/> (Ctrl-C, q)
    /// or <paramref name="duration"/> ends the tap: both are a clean end.
    /// </summary>
    /// <exception cref="CommandException">Nothing can be tapped (see the class summary).</exception>
    public async Task RunAsync(Func<IReadOnlyList<TappedEvent>, Task> onBatch, TimeSpan? duration, CancellationToken cancellationToken)
    {
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is { } limit)
        {
            end.CancelAfter(limit);
        }

        var reading = ReadAsync(onBatch, end.Token);
        var unanswered = NoAnswerAsync(end.Token);
        var first = await Task.WhenAny(reading, _failed.Task).ConfigureAwait(false);
        await end.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(reading, unanswered).ConfigureAwait(false);
        if (first == _failed.Task)
        {
            throw CommandException.Failed(await _failed.Task.ConfigureAwait(false));
        }

        if (_session.Dropped > 0)
        {
            await _context.Console.Error.WriteLineAsync($"{_session.Dropped} events were dropped: the output fell behind the tap").ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => _session.DisposeAsync();

    private async Task ReadAsync(Func<IReadOnlyList<TappedEvent>, Task> onBatch, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in _session.ReadBatchesAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                await onBatch(batch).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Fails the tap when no proxy has accepted it within <c>--timeout</c> (each keeps retrying until then).</summary>
    private async Task NoAnswerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_context.Timeout, _context.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (!_streamed)
            {
                _failed.TrySetResult($"no proxy of {Query.Target} accepted the tap within --timeout {DurationText.Format(_context.Timeout)}: {Problems()}");
            }
        }
    }

    private void OnPodChanged(TapPodStatus status)
    {
        string? warning = null;
        lock (_gate)
        {
            if (status.State == TapPodState.Streaming)
            {
                _streamed = true;
                return;
            }

            if (!status.IsProblem)
            {
                return;
            }

            var tapped = _session.Pods.Where(p => p.State != TapPodState.Skipped).ToList();
            if (tapped.All(p => p.State == TapPodState.Refused))
            {
                _failed.TrySetResult($"tap of {Query.Target} refused: {Problems()}");
            }
            else if (_streamed && _warned.Add($"{status.Key} {status.Reason}"))
            {
                // Before any pod streams, problems wait for the verdict of NoAnswerAsync rather than repeat it.
                warning = $"warning: tap of {status.Key}: {status.Reason}";
            }
        }

        if (warning is not null)
        {
            lock (_context.Console.Error)
            {
                _context.Console.Error.WriteLine(warning);
            }
        }
    }

    /// <summary>Each pod's problem, the same reasons said once.</summary>
    private string Problems()
    {
        var problems = _session.Pods.Where(p => p.IsProblem)
            .GroupBy(p => p.Reason, StringComparer.Ordinal)
            .Select(g => $"{string.Join(", ", g.Select(p => p.Key))}: {g.Key}")
            .ToList();
        return problems.Count > 0 ? string.Join("; ", problems) : "their proxies did not answer";
    }
}

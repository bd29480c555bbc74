using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// A socket listener that <see cref="CloseAsync"/> unbinds (new connections are refused by the kernel) and whose
/// connections it aborts; <see cref="ReopenAsync"/> binds again. Kestrel's accept loop waits in between.
/// </summary>
internal sealed class SwitchableListener(EndPoint endpoint, IConnectionListener initial, IConnectionListenerFactory factory) : IConnectionListener
{
    private readonly Lock _lock = new();
    private readonly HashSet<ConnectionContext> _open = [];
    private IConnectionListener? _current = initial;
    private TaskCompletionSource _reopened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ended;

    public EndPoint EndPoint { get; } = initial.EndPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            IConnectionListener? current;
            Task reopened;
            lock (_lock)
            {
                if (_ended)
                {
                    return null;
                }

                (current, reopened) = (_current, _reopened.Task);
            }

            if (current is null)
            {
                await reopened.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            var connection = await current.AcceptAsync(cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                // Null means unbound: by Kestrel (the end), or by CloseAsync (wait for a reopen).
                lock (_lock)
                {
                    if (_ended || _current == current)
                    {
                        return null;
                    }
                }

                continue;
            }

            Track(connection);
            return connection;
        }
    }

    public async Task CloseAsync()
    {
        IConnectionListener? current;
        ConnectionContext[] open;
        lock (_lock)
        {
            (current, _current) = (_current, null);
            open = [.. _open];
        }

        if (current is not null)
        {
            await current.UnbindAsync().ConfigureAwait(false);
            await current.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var connection in open)
        {
            connection.Abort(new ConnectionAbortedException("the proxy was killed"));
        }
    }

    public async Task ReopenAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_current is not null || _ended)
            {
                return;
            }
        }

        var listener = await factory.BindAsync(endpoint, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _current = listener;
            _reopened.TrySetResult();
            _reopened = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        IConnectionListener? current;
        lock (_lock)
        {
            _ended = true;
            current = _current;
            _reopened.TrySetResult();
        }

        if (current is not null)
        {
            await current.UnbindAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        IConnectionListener? current;
        lock (_lock)
        {
            _ended = true;
            (current, _current) = (_current, null);
            _reopened.TrySetResult();
        }

        if (current is not null)
        {
            await current.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Track(ConnectionContext connection)
    {
        lock (_lock)
        {
            _open.Add(connection);
        }

        connection.ConnectionClosed.Register(() =>
        {
            lock (_lock)
            {
                _open.Remove(connection);
            }
        });
    }
}

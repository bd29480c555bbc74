using System.IO.Pipelines;

namespace Dashboard.Proxy.Hosting;

/// <summary>
/// Reads a connection's first bytes until <see cref="ProtocolDetector"/> decides, consuming nothing: whoever serves the
/// connection next reads them again. A connection that stays silent for the detect timeout is opaque (a server that
/// speaks first, such as SMTP's or MySQL's, is waiting for its client to connect, not to send). A connection still
/// undecided when the proxy begins to stop is closed: held, it would keep the host's shutdown waiting (a client's pool
/// opens connections it may never use, a TCP probe sends nothing).
/// </summary>
internal static class ProtocolPeek
{
    private const int Waiting = 0;
    private const int TimedOut = 1;
    private const int Decided = 2;
    private const int Stopped = 3;

    /// <param name="http">Whether HTTP is looked for; <paramref name="tls"/>, whether the mesh's TLS is. Neither: opaque, at once.</param>
    /// <param name="serverName">The name a ClientHello must ask for to be the mesh's TLS (<see cref="ProtocolDetector.Decide"/>).</param>
    /// <param name="stopping">Fires when the proxy begins to stop (<see cref="DetectedProtocol.Closed"/> if still undecided).</param>
    public static async Task<DetectedProtocol> DetectAsync(PipeReader input, bool http, bool tls, TimeSpan timeout, TimeProvider time,
        CancellationToken stopping, string? serverName = null)
    {
        if (!http && !tls)
        {
            return DetectedProtocol.Opaque;
        }

        var state = Waiting;
        // The timer ends the wait with CancelPendingRead, not a cancelled token: a cancelled ReadAsync throws and loses the
        // bytes examined so far from the next read's view, while a cancelled read returns them.
        using var timer = new CancellationTokenSource(timeout, time);
        var registration = timer.Token.Register(() =>
        {
            if (Interlocked.CompareExchange(ref state, TimedOut, Waiting) == Waiting)
            {
                input.CancelPendingRead();
            }
        });
        var stoppingRegistration = stopping.Register(() =>
        {
            if (Interlocked.CompareExchange(ref state, Stopped, Waiting) == Waiting)
            {
                input.CancelPendingRead();
            }
        });

        DetectedProtocol decided;
        bool observedCancel;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                decided = result.IsCanceled
                    ? (Volatile.Read(ref state) == Stopped ? DetectedProtocol.Closed : DetectedProtocol.Opaque)
                    : ProtocolDetector.Decide(buffer, http, tls, result.IsCompleted, serverName);
                if (decided != DetectedProtocol.Undecided)
                {
                    observedCancel = result.IsCanceled;
                    // Nothing consumed and nothing examined: the next reader sees these bytes at once.
                    input.AdvanceTo(buffer.Start);
                    break;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            // Waits for a callback that is running, so the state below is final.
            await registration.DisposeAsync();
            await stoppingRegistration.DisposeAsync();
        }

        if (Interlocked.CompareExchange(ref state, Decided, Waiting) is TimedOut or Stopped && !observedCancel && input.TryRead(out var stray))
        {
            // The timer fired as the deciding bytes arrived: its cancellation would end the next reader's first read.
            input.AdvanceTo(stray.Buffer.Start);
        }

        return decided;
    }
}

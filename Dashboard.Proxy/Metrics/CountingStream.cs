using System.Net.Sockets;

namespace Dashboard.Proxy.Metrics;

/// <summary>A connection the proxy opened, counted into its tcp_* series (bytes both ways, open and close).</summary>
internal sealed class CountingStream : Stream
{
    private readonly Stream _inner;
    private readonly TcpSeries _series;
    private string? _errno;
    private int _closed;

    public CountingStream(Stream inner, TcpSeries series)
    {
        _inner = inner;
        _series = series;
        series.Opened();
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            var read = await _inner.ReadAsync(buffer, cancellationToken);
            _series.Read.Inc(read);
            return read;
        }
        catch (IOException ex) when (ex.InnerException is SocketException socket)
        {
            _errno = Errno.Name(socket.SocketErrorCode);
            throw;
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await _inner.WriteAsync(buffer, cancellationToken);
            _series.Write.Inc(buffer.Length);
        }
        catch (IOException ex) when (ex.InnerException is SocketException socket)
        {
            _errno = Errno.Name(socket.SocketErrorCode);
            throw;
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = _inner.Read(buffer, offset, count);
        _series.Read.Inc(read);
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _inner.Write(buffer, offset, count);
        _series.Write.Inc(count);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _inner.Dispose();
            _series.Closed(_errno);
        }

        base.Dispose(disposing);
    }
}

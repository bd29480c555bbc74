using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Dashboard.Cli;

/// <summary>
/// Standard output for the verbs. <see cref="Console.Out"/> pretends that a write to a pipe without a reader succeeded
/// (.NET ignores EPIPE on the console), so a verb that streams into <c>head -1</c> would stream for ever; on a pipe, the
/// verbs write to the file descriptor instead, where that write fails with <see cref="OutputClosedException"/>.
/// </summary>
internal static class PipeOutput
{
    private const int StandardOutputDescriptor = 1;

    /// <summary><see cref="Console.Out"/> for a terminal or a file, else a writer that throws when the pipe's reader is gone.</summary>
    public static TextWriter Open()
    {
        if (!Console.IsOutputRedirected || OperatingSystem.IsWindows())
        {
            return Console.Out;
        }

        // No buffer of its own: the writer flushes each write, as Console.Out does, so lines interleave with stderr's.
        var stream = new FileStream(new SafeFileHandle(StandardOutputDescriptor, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        if (stream.CanSeek)
        {
            // A file: FileStream would write at offsets of its own and not move the descriptor's, which a shell shares
            // between the commands of `(a; b) > file`. Console.Out writes as they expect, and a file has no reader to lose.
            stream.Dispose();
            return Console.Out;
        }

        return TextWriter.Synchronized(new StreamWriter(new ReaderGoneStream(stream), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true });
    }

    /// <summary>Turns the failed write of a pipe without a reader into <see cref="OutputClosedException"/>.</summary>
    private sealed class ReaderGoneStream(FileStream pipe) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                pipe.Write(buffer);
            }
            catch (IOException e)
            {
                throw Closed(e);
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                await pipe.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw Closed(e);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                pipe.Dispose();
            }

            base.Dispose(disposing);
        }

        private static OutputClosedException Closed(IOException e) => new($"standard output was closed: {e.Message}", e);
    }
}

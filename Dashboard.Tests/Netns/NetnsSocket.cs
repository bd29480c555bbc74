using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Dashboard.Tests.Netns;

/// <summary>
/// TCP sockets of this test process that live in a pod's network namespace. A socket belongs to the namespace of the
/// thread that creates it, for good; so a fresh thread joins the namespace (setns), creates the socket and ends, and
/// the socket is then used from any thread as usual.
/// </summary>
internal static partial class NetnsSocket
{
    private const int CloneNewNet = 0x40000000; // linux/sched.h
    private const int OpenReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC

    public static Socket Create(string netns)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var fd = Open($"/run/netns/{netns}", OpenReadOnlyCloseOnExec);
                if (fd < 0)
                {
                    throw new IOException($"cannot open network namespace {netns}: errno {Marshal.GetLastPInvokeError()}");
                }

                try
                {
                    if (SetNs(fd, CloneNewNet) != 0)
                    {
                        throw new IOException($"cannot join network namespace {netns}: errno {Marshal.GetLastPInvokeError()}");
                    }
                }
                finally
                {
                    _ = Close(fd);
                }

                socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw failure!;
    }

    /// <summary>
    /// Connects from <paramref name="netns"/> to <paramref name="to"/> and returns the first line the server sends: a
    /// <see cref="NetnsListener"/> answers with its name, so the caller learns where its connection really arrived.
    /// </summary>
    public static async Task<Answer> AskAsync(string netns, IPEndPoint to)
    {
        using var socket = Create(netns);
        await socket.ConnectAsync(to, TestTimeouts.Token).Within();
        var from = (IPEndPoint)socket.LocalEndPoint!;
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream);
        var line = await reader.ReadLineAsync(TestTimeouts.Token).Within() ?? throw new IOException($"{to} closed the connection from {netns} without answering");
        return new Answer(line, from);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

/// <summary>Which listener answered a connection, and the client's end of it (the listener's <see cref="Arrival.Remote"/>).</summary>
internal sealed record Answer(string Listener, IPEndPoint From);

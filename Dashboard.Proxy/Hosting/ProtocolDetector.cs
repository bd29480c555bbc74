using System.Buffers;

namespace Dashboard.Proxy.Hosting;

/// <summary>What a connection's first bytes say it carries.</summary>
internal enum DetectedProtocol
{
    /// <summary>Not yet decided: the bytes so far fit more than one answer.</summary>
    Undecided,
    Http1,
    /// <summary>HTTP/2 with prior knowledge: the client preface.</summary>
    Http2,
    /// <summary>A TLS ClientHello (the mesh's TLS, on an inbound port of a proxy with an identity).</summary>
    Tls,
    /// <summary>Anything else: forwarded as bytes.</summary>
    Opaque,
    /// <summary>The proxy began to stop before the connection decided: it is closed, not forwarded.</summary>
    Closed,
}

/// <summary>
/// Decides a connection's protocol from its first bytes, as soon as they allow: HTTP/1.x is recognised positively by its
/// request line (<c>METHOD SP target SP HTTP/1.x</c>, RFC 9112 §3), as linkerd2-proxy's detection does, so a protocol
/// that merely starts with letters is not taken for HTTP; HTTP/2 by its client preface (RFC 9113 §3.4); TLS by the
/// header of a handshake record that carries a ClientHello (RFC 8446 §5.1, §4).
/// </summary>
internal static class ProtocolDetector
{
    /// <summary>Bytes examined at most: Kestrel's default <c>MaxRequestLineSize</c>; a longer request line is not served as HTTP anyway.</summary>
    public const int MaxPeek = 8 * 1024;

    /// <summary>The 24-byte HTTP/2 client preface (RFC 9113 §3.4).</summary>
    private static ReadOnlySpan<byte> Http2Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    private static ReadOnlySpan<byte> HttpVersionPrefix => "HTTP/1."u8;

    private enum Match
    {
        No,
        Prefix,
        Yes,
    }

    /// <param name="http">Whether HTTP is looked for (not on an opaque port, where only the mesh's TLS is).</param>
    /// <param name="tls">Whether a TLS ClientHello is looked for (inbound, with an identity).</param>
    /// <param name="completed">No more bytes will come: what is undecided now is opaque.</param>
    /// <param name="serverName">When set, a ClientHello is the mesh's TLS only when it asks for this name (SNI): the
    /// proxy's own identity. Another name, or none, is the application's TLS: opaque.</param>
    public static DetectedProtocol Decide(ReadOnlySequence<byte> buffer, bool http, bool tls, bool completed, string? serverName = null)
    {
        Span<byte> head = stackalloc byte[(int)Math.Min(buffer.Length, MaxPeek)];
        buffer.Slice(0, head.Length).CopyTo(head);
        var decided = Decide(head, http, tls, serverName);
        return decided == DetectedProtocol.Undecided && (completed || buffer.Length >= MaxPeek) ? DetectedProtocol.Opaque : decided;
    }

    private static DetectedProtocol Decide(ReadOnlySpan<byte> head, bool http, bool tls, string? serverName)
    {
        if (head.IsEmpty)
        {
            return DetectedProtocol.Undecided;
        }

        var hello = tls ? ClientHello(head, serverName) : Match.No;
        var h2 = http ? Http2(head) : Match.No;
        var h1 = http ? Http1RequestLine(head) : Match.No;
        return (hello, h2, h1) switch
        {
            (Match.Yes, _, _) => DetectedProtocol.Tls,
            (_, Match.Yes, _) => DetectedProtocol.Http2,
            (_, _, Match.Yes) => DetectedProtocol.Http1,
            (Match.No, Match.No, Match.No) => DetectedProtocol.Opaque,
            _ => DetectedProtocol.Undecided,
        };
    }

    /// <summary>
    /// A handshake record (0x16), protocol version 3.x (TLS 1.0 to 1.3 all write 0x03 first), a length, then ClientHello
    /// (0x01); with <paramref name="serverName"/>, once the record is all there, one that asks for that name.
    /// </summary>
    private static Match ClientHello(ReadOnlySpan<byte> head, string? serverName)
    {
        const int handshakeType = 5;
        if (head[0] != 0x16 || head.Length > 1 && head[1] != 0x03 || head.Length > 2 && head[2] > 0x04)
        {
            return Match.No;
        }

        var hello = head.Length <= handshakeType ? Match.Prefix : head[handshakeType] == 0x01 ? Match.Yes : Match.No;
        if (hello != Match.Yes || serverName is null)
        {
            return hello;
        }

        if (!ClientHelloServerName.RecordComplete(head, MaxPeek))
        {
            return Match.Prefix;
        }

        return string.Equals(ClientHelloServerName.Read(head), serverName, StringComparison.OrdinalIgnoreCase) ? Match.Yes : Match.No;
    }

    private static Match Http2(ReadOnlySpan<byte> head)
    {
        var length = Math.Min(head.Length, Http2Preface.Length);
        if (!head[..length].SequenceEqual(Http2Preface[..length]))
        {
            return Match.No;
        }

        return length == Http2Preface.Length ? Match.Yes : Match.Prefix;
    }

    /// <summary>
    /// <c>token SP request-target SP HTTP/1.DIGIT</c>: decided as soon as a byte breaks the grammar, or the minor version's
    /// digit arrives (what follows it is Kestrel's to judge).
    /// </summary>
    private static Match Http1RequestLine(ReadOnlySpan<byte> head)
    {
        var method = 0;
        while (method < head.Length && IsTokenChar(head[method]))
        {
            method++;
        }

        if (method == head.Length)
        {
            return Match.Prefix;
        }

        if (method == 0 || head[method] != (byte)' ')
        {
            return Match.No;
        }

        var target = method + 1;
        var end = target;
        while (end < head.Length && head[end] is > 0x20 and < 0x7F)
        {
            end++;
        }

        if (end == head.Length)
        {
            return Match.Prefix;
        }

        if (end == target || head[end] != (byte)' ')
        {
            return Match.No;
        }

        var version = head[(end + 1)..];
        var length = Math.Min(version.Length, HttpVersionPrefix.Length);
        if (!version[..length].SequenceEqual(HttpVersionPrefix[..length]))
        {
            return Match.No;
        }

        if (version.Length <= HttpVersionPrefix.Length)
        {
            return Match.Prefix;
        }

        return char.IsAsciiDigit((char)version[HttpVersionPrefix.Length]) ? Match.Yes : Match.No;
    }

    /// <summary>RFC 9110 §5.6.2 tchar.</summary>
    private static bool IsTokenChar(byte b) =>
        char.IsAsciiLetterOrDigit((char)b) || b is (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*'
            or (byte)'+' or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';
}

using System.Buffers.Binary;
using System.Text;

namespace Dashboard.Proxy.Hosting;

/// <summary>
/// The server name (SNI, RFC 6066 §3) a TLS ClientHello asks for. The inbound port terminates only the mesh's TLS, whose
/// client names the identity of the proxy it dials; a ClientHello for another name (or none) is the application's own
/// TLS and passes through as opaque bytes, as linkerd2-proxy does.
/// </summary>
internal static class ClientHelloServerName
{
    private const int RecordHeader = 5;
    private const ushort ServerNameExtension = 0;
    private const byte HostName = 0;

    /// <summary>Whether the first TLS record is all there (or could never be: longer than <paramref name="limit"/> bytes).</summary>
    public static bool RecordComplete(ReadOnlySpan<byte> head, int limit) =>
        head.Length >= RecordHeader && (head.Length >= RecordHeader + RecordLength(head) || RecordHeader + RecordLength(head) > limit);

    /// <summary>The host name of the ClientHello in the first record; null when it names none or the bytes are no ClientHello.</summary>
    public static string? Read(ReadOnlySpan<byte> head)
    {
        if (head.Length < RecordHeader)
        {
            return null;
        }

        var record = head[RecordHeader..Math.Min(head.Length, RecordHeader + RecordLength(head))];
        // Handshake header: type (1), length (3); then version (2), random (32).
        var reader = new Reader(record);
        if (!reader.Skip(1 + 3 + 2 + 32) || !reader.SkipVector(1) || !reader.SkipVector(2) || !reader.SkipVector(1) ||
            !reader.Vector(2, out var extensions))
        {
            return null;
        }

        var fields = new Reader(extensions);
        while (fields.UInt16(out var type) && fields.Vector(2, out var body))
        {
            if (type != ServerNameExtension)
            {
                continue;
            }

            var names = new Reader(body);
            if (!names.Vector(2, out var list))
            {
                return null;
            }

            var entries = new Reader(list);
            while (entries.Byte(out var nameType) && entries.Vector(2, out var name))
            {
                if (nameType == HostName)
                {
                    return Encoding.ASCII.GetString(name);
                }
            }

            return null;
        }

        return null;
    }

    private static int RecordLength(ReadOnlySpan<byte> head) => BinaryPrimitives.ReadUInt16BigEndian(head[3..RecordHeader]);

    /// <summary>Reads the big-endian fields and length-prefixed vectors of RFC 8446 §3, failing (false) past the end.</summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public bool Skip(int count)
        {
            if (_rest.Length < count)
            {
                return false;
            }

            _rest = _rest[count..];
            return true;
        }

        public bool Byte(out byte value)
        {
            value = _rest.IsEmpty ? (byte)0 : _rest[0];
            return Skip(1);
        }

        public bool UInt16(out ushort value)
        {
            value = _rest.Length < 2 ? (ushort)0 : BinaryPrimitives.ReadUInt16BigEndian(_rest);
            return Skip(2);
        }

        public bool SkipVector(int lengthBytes) => Vector(lengthBytes, out _);

        public bool Vector(int lengthBytes, out ReadOnlySpan<byte> value)
        {
            value = default;
            if (_rest.Length < lengthBytes)
            {
                return false;
            }

            var length = lengthBytes == 1 ? _rest[0] : BinaryPrimitives.ReadUInt16BigEndian(_rest);
            if (_rest.Length < lengthBytes + length)
            {
                return false;
            }

            value = _rest.Slice(lengthBytes, length);
            _rest = _rest[(lengthBytes + length)..];
            return true;
        }
    }
}

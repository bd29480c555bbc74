namespace Dashboard.Proxy.Hosting;

public enum ListenerKind
{
    Inbound,
    Outbound,
    Admin,
    Tap,
    /// <summary>A listener of the host itself (e.g. the fleet's Kubernetes API), served by <see cref="ListenerBinding.Handler"/>.</summary>
    Custom,
}

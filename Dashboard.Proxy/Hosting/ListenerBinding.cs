namespace Dashboard.Proxy.Hosting;

/// <summary>
/// Which proxy instance and which role a listener serves. Set on each accepted connection's features, so one
/// Kestrel server can host many proxies (the fleet) and dispatch each request without a lookup.
/// </summary>
public sealed class ListenerBinding(ListenerKind kind, ProxyInstance? proxy, RequestDelegate? handler = null)
{
    public ListenerKind Kind { get; } = kind;
    public ProxyInstance? Proxy { get; } = proxy;
    public RequestDelegate? Handler { get; } = handler;
}

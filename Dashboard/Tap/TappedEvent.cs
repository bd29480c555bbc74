using Dashboard.Contracts.Tap;

namespace Dashboard.Tap;

/// <summary>A tap event and the pod (<c>namespace/name</c>) whose proxy sent it.</summary>
public readonly record struct TappedEvent(string Pod, TapEvent Event);

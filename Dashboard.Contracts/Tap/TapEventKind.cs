namespace Dashboard.Contracts.Tap;

public static class TapEventKind
{
    public const string RequestInit = "requestInit";
    public const string ResponseInit = "responseInit";
    public const string ResponseEnd = "responseEnd";
}

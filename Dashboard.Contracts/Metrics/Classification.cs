namespace Dashboard.Contracts.Metrics;

/// <summary>
/// Linkerd's response classification: HTTP 5xx is a failure; a gRPC response is decided by its
/// grpc-status (docs/ARCHITECTURE.md §2), whatever its HTTP status.
/// </summary>
public static class Classification
{
    public static bool IsGrpcFailure(int grpcStatus) =>
        grpcStatus is 2 or 4 or 7 or 13 or 14 or 15;

    public static bool IsSuccess(int httpStatus, int? grpcStatus) =>
        grpcStatus is { } grpc ? !IsGrpcFailure(grpc) : httpStatus is < 500 or > 599;
}

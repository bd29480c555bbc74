using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// The demo application of one fleet pod: serves the manifest's routes with their latency distribution
/// and error rate, makes their downstream calls, and records every request in the ground truth.
/// </summary>
public sealed class FleetApp(FleetPod pod, FleetCaller caller, GroundTruth truth)
{
    private readonly IReadOnlyList<RouteSpec> _routes = pod.Deployment?.Routes ?? [];
    private readonly IReadOnlyList<FaultSpec> _faults = [.. (pod.Deployment?.Faults ?? []).Where(f => f.Pod == pod.Ordinal)];

    public async Task HandleAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        var request = context.Request;
        var route = _routes.FirstOrDefault(r => r.Method == request.Method && r.Path == request.Path.Value) ?? RouteSpec.Default;
        var random = Random.Shared;
        var faults = ActiveFaults();
        var delay = LatencySampler.SampleMs(route.Latency, random) + ExtraLatency(request) + faults.Sum(f => f.ExtraLatencyMs);
        var status = StatusCodes.Status200OK;
        string? failed = null;

        await Task.Delay(TimeSpan.FromMilliseconds(delay), context.RequestAborted);
        foreach (var call in route.Calls)
        {
            var (callStatus, _) = await caller.CallAsync(pod, call.Service, pod.Namespace, call.Method, call.Path, 0, context.RequestAborted);
            if (!FleetCaller.IsSuccess(callStatus))
            {
                (status, failed) = (StatusCodes.Status500InternalServerError, $"{call.Service} answered {callStatus}");
                break;
            }
        }

        if (status == StatusCodes.Status200OK && random.NextDouble() < route.ErrorRate)
        {
            (status, failed) = (StatusCodes.Status500InternalServerError, "injected error");
        }

        if (status == StatusCodes.Status200OK && faults.Any(f => random.NextDouble() < f.ErrorRate))
        {
            (status, failed) = (StatusCodes.Status500InternalServerError, "planted fault");
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { pod = pod.Name, path = request.Path.Value, error = failed }));
        // Recorded under the route the manifest names, or the request's own path for the default route.
        truth.RecordServer(pod.Namespace, pod.Deployment?.Name, pod.Name, request.Method, request.Path.Value ?? "/", status,
            Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    // The faults planted in this replica that are active now (always, or in their period's window).
    private List<FaultSpec> ActiveFaults() => _faults.Count == 0
        ? []
        : [.. _faults.Where(f => f is not { EverySeconds: { } every, DurationSeconds: { } duration } || FleetSchedule.Active(truth.SinceStart, every, duration))];

    private static double ExtraLatency(HttpRequest request) =>
        double.TryParse(request.Headers[FleetCaller.ExtraLatencyHeader], NumberStyles.Float, CultureInfo.InvariantCulture, out var extra)
            ? Math.Clamp(extra, 0, 60_000)
            : 0;
}

using System.Globalization;
using System.Text;

namespace DestinationBench;

/// <summary>The table of both modes and the summary of the targets, on stdout.</summary>
public static class Report
{
    private const double Mib = 1024 * 1024;
    private const double TargetP99Ms = 1000;
    private const double TargetRssMib = 200;
    private const double TargetPerProxyKib = 1024;
    private const int OneSet = 3;

    public static void Print(Settings settings, IReadOnlyList<Row> rows)
    {
        var o = new StringBuilder();
        o.AppendLine(Invariant($"Destination service at scale: {settings.Services} Services, {settings.Services * settings.PodsPerService} pods, ") +
            Invariant($"{settings.Proxies} proxies x {settings.PerProxy} Services, {settings.Duration} changes (one a second) per mode"));
        o.AppendLine();
        o.AppendLine("| mode | proxies | API watches | API lists | destination CPU s (% of a core) | destination RSS idle / with proxies / HWM MiB | fan-out first p50 ms | fan-out last p50 / p99 / max ms | not all within 5 s | memory per proxy KiB | bench CPU s (API + proxies) |");
        o.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            var w = row.Window;
            var last = w.Results.Select(r => r.LastMs).Order().ToArray();
            var first = w.Results.Select(r => r.FirstMs).Order().ToArray();
            var cpu = w.DestinationCpu is { } c ? Invariant($"{c.TotalSeconds:F2} ({100 * c.TotalSeconds / w.Wall.TotalSeconds:F1} %)") : "—";
            var memory = row.Memory is var (idle, rss, hwm) ? Invariant($"{idle / Mib:F1} / {rss / Mib:F1} / {hwm / Mib:F1}") : "—";
            o.AppendLine(Invariant($"| {row.Mode} | {row.Proxies} | {Total(row.Watches, row)} | {Total(row.Lists, row)} | {cpu} | {memory} | {Ms(Percentile(first, 50))} | ") +
                Invariant($"{Ms(Percentile(last, 50))} / {Ms(Percentile(last, 99))} / {Ms(last.LastOrDefault())} | {w.Results.Count(r => !r.Delivered)} of {w.Results.Count} | ") +
                Invariant($"{row.HeapPerProxy / 1024:F1} | {w.BenchCpu.TotalSeconds:F2} |"));
        }

        o.AppendLine();
        o.AppendLine("Fan-out: from just before the change's first write to the store to the first and the last subscribed proxy whose view");
        o.AppendLine("answers the new ready set (views polled about every millisecond). Destination mode: each proxy a real");
        o.AppendLine("DestinationServiceResolver with its own GrpcChannel (one HTTP/2 connection per proxy, as real proxies have), ~" +
            Invariant($"{settings.Proxies * settings.PerProxy / settings.Services}") + " subscribers a Service;");
        o.AppendLine("baseline: each proxy its own KubernetesDestinationDiscovery with its own Kubernetes client, every one due every change.");
        o.AppendLine("Destination RSS: VmRSS synced before any proxy connects, at the window's end, and VmHWM then.");
        o.AppendLine("Memory per proxy: managed heap after full compacting collections with all proxies subscribed (or synced), minus before, / proxies.");
        o.AppendLine("Baseline proxies share this process's 2-core CPU with the API; real sidecars would each have their own, so its fan-out is pessimistic.");
        if (rows.FirstOrDefault(r => r.Scale != 1) is { } scaled)
        {
            o.AppendLine(Invariant($"Baseline ran {scaled.Proxies} proxies (BASELINE_PROXIES): its per-proxy figures are from them; its watch and list totals are ") +
                Invariant($"extrapolated to {settings.Proxies} (x{scaled.Scale:0.##}), its fan-out and CPU are not."));
        }

        foreach (var row in rows)
        {
            var w = row.Window;
            var cpu = w.DestinationCpu ?? w.BenchCpu;
            var where = w.DestinationCpu is null ? "this process (API, proxies, polling)" : "the destination service";
            o.AppendLine(Invariant($"CPU per change, {row.Mode}: {cpu.TotalMilliseconds / w.Results.Count:F0} ms in {where}") +
                (w.DestinationCpu is null ? Invariant($", {cpu.TotalMilliseconds / w.Results.Count / row.Proxies:F2} ms per proxy") : ""));
        }

        o.AppendLine();
        o.AppendLine("Summary (destination service mode):");
        var destination = rows[0];
        var p99 = Percentile([.. destination.Window.Results.Select(r => r.LastMs).Order()], 99);
        Target(o, "fan-out p99 <= 1 s", p99 <= TargetP99Ms, Ms(p99) + " ms");
        Target(o, "changes delivered to all subscribers within 5 s", destination.Window.Results.All(r => r.Delivered),
            Invariant($"{destination.Window.Results.Count(r => !r.Delivered)} not"));
        var peak = destination.Memory?.Hwm / Mib;
        Target(o, "destination RSS <= 200 MiB (its high-water mark)", peak <= TargetRssMib, Invariant($"{peak:F1} MiB"));
        Target(o, "discovery memory per proxy <= 1 MiB", destination.HeapPerProxy / 1024 <= TargetPerProxyKib, Invariant($"{destination.HeapPerProxy / 1024:F1} KiB"));
        Target(o, "API watches = 1 set (3: services, endpointslices, pods)", destination.Watches <= OneSet,
            Invariant($"{destination.Watches} watches, {destination.Lists} lists"));
        if (rows.Count > 1)
        {
            var baseline = rows[1];
            o.AppendLine(Invariant($"Against the baseline: {baseline.Watches * baseline.Scale / Math.Max(1, destination.Watches):0} x fewer watches, ") +
                Invariant($"{baseline.HeapPerProxy / Math.Max(1, destination.HeapPerProxy):0.#} x less memory per proxy."));
        }

        Console.Write(o.ToString());
    }

    private static void Target(StringBuilder o, string what, bool met, string value) =>
        o.AppendLine(Invariant($"  {what}: {value} — {(met ? "met" : "NOT MET")}"));

    private static string Total(long measured, Row row) =>
        row.Scale == 1 ? Invariant($"{measured}") : Invariant($"{measured} (x{row.Scale:0.##} = {measured * row.Scale:0})");

    /// <summary>Nearest rank over sorted values; infinite (a change not delivered) sorts last.</summary>
    private static double Percentile(double[] sorted, int p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Ms(double ms) => double.IsPositiveInfinity(ms) ? "> 5000" : Invariant($"{ms:F1}");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

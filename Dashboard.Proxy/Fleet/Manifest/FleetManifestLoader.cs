using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Proxy.Fleet.Manifest;

/// <summary>
/// Loads a fleet manifest (YAML) and validates it whole: every problem is reported with its file, line,
/// column and field path, so a typo is never silently ignored.
/// </summary>
public static partial class FleetManifestLoader
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
    private static readonly string[] Phases = ["Running", "Pending", "Succeeded", "Failed", "Unknown"];

    public static FleetManifest Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FleetManifestException([new ManifestProblem(path, 1, 1, "", "file not found")]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static FleetManifest Parse(string yaml, string sourceName)
    {
        var reader = new FleetManifestReader(sourceName);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new FleetManifestException([new ManifestProblem(sourceName, (int)ex.Start.Line, (int)ex.Start.Column, "", $"invalid YAML: {(ex.InnerException ?? ex).Message}")]);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet throws this, without a position, for some unclosed [ or { that run onto the next line.
            throw new FleetManifestException([new ManifestProblem(sourceName, 1, 1, "", $"invalid YAML (an unclosed [ or {{?): {ex.Message}")]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            throw new FleetManifestException([new ManifestProblem(sourceName, 1, 1, "", "the manifest is empty; expected namespaces: and traffic:")]);
        }

        var manifest = Bind(reader, stream.Documents[0].RootNode);
        if (reader.Problems.Count > 0)
        {
            throw new FleetManifestException([.. reader.Problems.OrderBy(p => p.Line).ThenBy(p => p.Column)]);
        }

        return manifest!;
    }

    private static FleetManifest? Bind(FleetManifestReader r, YamlNode root)
    {
        if (r.Mapping(root, "", "namespaces", "traffic") is not { } map)
        {
            return null;
        }

        var calls = new List<(CallSpec Call, string Namespace, string From, YamlNode Node, string Field)>();
        var namespaces = new List<NamespaceSpec>();
        if (FleetManifestReader.Child(map, "namespaces") is null)
        {
            r.Problem(map, "", "'namespaces' is required, with at least one namespace");
        }

        foreach (var (node, field) in r.List(map, "namespaces", ""))
        {
            if (BindNamespace(r, node, field.TrimStart('.'), calls) is { } ns)
            {
                if (namespaces.Any(n => n.Name == ns.Name))
                {
                    r.Problem(node, field.TrimStart('.') + ".name", $"duplicate namespace '{ns.Name}'");
                }

                namespaces.Add(ns);
            }
        }

        var deployments = namespaces.SelectMany(n => n.Deployments.Select(d => (n.Name, d.Name))).ToHashSet();
        foreach (var (call, ns, _, node, field) in calls)
        {
            var (targetNs, service) = FleetManifest.ParseService(call.Service, ns);
            if (!deployments.Contains((targetNs, service)))
            {
                r.Problem(node, field + ".service", $"unknown service '{service}' in namespace '{targetNs}'; every deployment has a service of its name");
            }
        }

        ReportCycles(r, calls);
        var traffic = new List<TrafficSpec>();
        foreach (var (node, field) in r.List(map, "traffic", ""))
        {
            if (BindTraffic(r, node, field.TrimStart('.'), deployments) is { } t)
            {
                if (traffic.Any(x => x.Name == t.Name))
                {
                    r.Problem(node, field.TrimStart('.') + ".name", $"duplicate traffic name '{t.Name}'");
                }

                traffic.Add(t);
            }
        }

        return new FleetManifest(namespaces, traffic);
    }

    private static NamespaceSpec? BindNamespace(FleetManifestReader r, YamlNode node, string field,
        List<(CallSpec, string, string, YamlNode, string)> calls)
    {
        if (r.Mapping(node, field, "name", "deployments", "pods") is not { } map)
        {
            return null;
        }

        var name = Name(r, map, field, 63);
        var deployments = new List<DeploymentSpec>();
        foreach (var (d, dField) in r.List(map, "deployments", field))
        {
            if (r.Mapping(d, dField, "name", "replicas", "meshed", "identity", "routes", "faults") is not { } dm)
            {
                continue;
            }

            var dName = Name(r, dm, dField, 46);
            var routes = new List<RouteSpec>();
            foreach (var (route, rField) in r.List(dm, "routes", dField))
            {
                if (BindRoute(r, route, rField, name, dName, calls) is { } spec)
                {
                    routes.Add(spec);
                }
            }

            if (deployments.Any(x => x.Name == dName))
            {
                r.Problem(d, dField + ".name", $"duplicate deployment '{dName}' in namespace '{name}'");
            }

            var replicas = (int)r.Number(dm, "replicas", dField, 1, 0, 1000, "a whole number >= 0");
            deployments.Add(new DeploymentSpec(dName, replicas, r.Bool(dm, "meshed", dField, true), routes,
                r.Bool(dm, "identity", dField, true)) { Faults = BindFaults(r, dm, dField, replicas) });
        }

        var pods = new List<BarePodSpec>();
        foreach (var (p, pField) in r.List(map, "pods", field))
        {
            if (r.Mapping(p, pField, "name", "meshed", "phase") is not { } pm)
            {
                continue;
            }

            var pName = Name(r, pm, pField, 63);
            var phase = r.String(pm, "phase", pField, "Running")!;
            if (!Phases.Contains(phase))
            {
                r.Problem(FleetManifestReader.Child(pm, "phase"), pField + ".phase", $"expected one of {string.Join(", ", Phases)}, got '{phase}'");
            }

            if (deployments.Any(x => x.Name == pName) || pods.Any(x => x.Name == pName))
            {
                r.Problem(p, pField + ".name", $"duplicate name '{pName}' in namespace '{name}'");
            }

            pods.Add(new BarePodSpec(pName, r.Bool(pm, "meshed", pField, false), phase));
        }

        return new NamespaceSpec(name, deployments, pods);
    }

    private static List<FaultSpec> BindFaults(FleetManifestReader r, YamlMappingNode deployment, string field, int replicas)
    {
        var faults = new List<FaultSpec>();
        foreach (var (node, fField) in r.List(deployment, "faults", field))
        {
            if (r.Mapping(node, fField, "pod", "extraLatencyMs", "errorRate", "everySeconds", "durationSeconds") is not { } map)
            {
                continue;
            }

            var pod = r.Number(map, "pod", fField, null, 0, 999, "a pod ordinal, a whole number from 0");
            if (pod != Math.Floor(pod) || pod >= Math.Max(replicas, 1))
            {
                r.Problem(FleetManifestReader.Child(map, "pod") ?? node, fField + ".pod",
                    $"pod {pod} is not an ordinal of the deployment's {replicas} replicas; expected a whole number from 0 to {Math.Max(replicas - 1, 0)}");
            }

            var latency = r.Number(map, "extraLatencyMs", fField, 0, 0, 60_000, "a number of milliseconds from 0 to 60000");
            var errors = r.Number(map, "errorRate", fField, 0, 0, 1, "a share from 0 to 1");
            if (FleetManifestReader.Child(map, "extraLatencyMs") is null && FleetManifestReader.Child(map, "errorRate") is null)
            {
                r.Problem(node, fField, "a fault needs extraLatencyMs or errorRate (or both)");
            }

            double? every = FleetManifestReader.Child(map, "everySeconds") is null ? null : r.Number(map, "everySeconds", fField, null, 0.001, 86_400, "a number of seconds > 0");
            double? duration = FleetManifestReader.Child(map, "durationSeconds") is null ? null : r.Number(map, "durationSeconds", fField, null, 0.001, 86_400, "a number of seconds > 0");
            if ((every is null) != (duration is null))
            {
                r.Problem(node, fField, "everySeconds and durationSeconds go together: give both for a periodic fault, neither for one always on");
            }
            else if (every is { } e && duration is { } d && d >= e)
            {
                r.Problem(FleetManifestReader.Child(map, "durationSeconds") ?? node, fField + ".durationSeconds", $"durationSeconds ({d}) must be below everySeconds ({e})");
            }

            faults.Add(new FaultSpec((int)pod, latency, errors, every, duration));
        }

        return faults;
    }

    private static RouteSpec? BindRoute(FleetManifestReader r, YamlNode node, string field, string ns, string deployment,
        List<(CallSpec, string, string, YamlNode, string)> calls)
    {
        if (r.Mapping(node, field, "method", "path", "latencyMs", "errorRate", "calls") is not { } map)
        {
            return null;
        }

        var method = Method(r, map, field);
        var path = Path(r, map, field, null);
        var latency = LatencySpec.Default;
        if (FleetManifestReader.Child(map, "latencyMs") is { } l && r.Mapping(l, field + ".latencyMs", "p50", "p99") is { } lm)
        {
            latency = new LatencySpec(r.Number(lm, "p50", field + ".latencyMs", 5, 0.001, 600_000, "a number of milliseconds > 0"),
                r.Number(lm, "p99", field + ".latencyMs", 20, 0.001, 600_000, "a number of milliseconds > 0"));
            if (latency.P99Ms < latency.P50Ms)
            {
                r.Problem(l, field + ".latencyMs", $"p99 ({latency.P99Ms}) must not be below p50 ({latency.P50Ms})");
            }
        }

        var routeCalls = new List<CallSpec>();
        foreach (var (c, cField) in r.List(map, "calls", field))
        {
            if (r.Mapping(c, cField, "service", "method", "path") is { } cm)
            {
                var call = new CallSpec(r.String(cm, "service", cField) ?? "", Method(r, cm, cField), Path(r, cm, cField, "/"));
                routeCalls.Add(call);
                calls.Add((call, ns, $"{ns}/{deployment} {method} {path}", FleetManifestReader.Child(cm, "service") ?? c, cField));
            }
        }

        return new RouteSpec(method, path, latency, r.Number(map, "errorRate", field, 0, 0, 1, "a share from 0 to 1"), routeCalls);
    }

    private static TrafficSpec? BindTraffic(FleetManifestReader r, YamlNode node, string field, HashSet<(string, string)> deployments)
    {
        if (r.Mapping(node, field, "name", "from", "to", "method", "path", "rps", "spikes") is not { } map)
        {
            return null;
        }

        var name = Name(r, map, field, 63);
        var from = r.String(map, "from", field) ?? "";
        var parts = from.Split('/');
        if (from.Length > 0 && from != TrafficSpec.External && (parts.Length != 2 || !deployments.Contains((parts[0], parts[1]))))
        {
            r.Problem(FleetManifestReader.Child(map, "from"), field + ".from", $"unknown deployment '{from}'; expected 'external' or namespace/deployment");
        }

        var to = r.String(map, "to", field) ?? "";
        var (toNs, toService) = FleetManifest.ParseService(to, "default");
        if (to.Length > 0 && !deployments.Contains((toNs, toService)))
        {
            r.Problem(FleetManifestReader.Child(map, "to"), field + ".to", $"unknown service '{toService}' in namespace '{toNs}'");
        }

        SpikeSpec? spikes = null;
        if (FleetManifestReader.Child(map, "spikes") is { } s && r.Mapping(s, field + ".spikes", "everySeconds", "durationSeconds", "extraLatencyMs") is { } sm)
        {
            spikes = new SpikeSpec(r.Number(sm, "everySeconds", field + ".spikes", null, 0.001, 86_400, "a number of seconds > 0"),
                r.Number(sm, "durationSeconds", field + ".spikes", null, 0.001, 86_400, "a number of seconds > 0"),
                r.Number(sm, "extraLatencyMs", field + ".spikes", null, 0, 60_000, "a number of milliseconds from 0 to 60000"));
            if (spikes.DurationSeconds > spikes.EverySeconds)
            {
                r.Problem(s, field + ".spikes", "durationSeconds must not exceed everySeconds");
            }
        }

        return new TrafficSpec(name, from, to, Method(r, map, field), Path(r, map, field, "/"),
            r.Number(map, "rps", field, null, 0.001, 10_000, "a rate > 0 and <= 10000"), spikes);
    }

    private static string Name(FleetManifestReader r, YamlMappingNode map, string field, int maxLength)
    {
        var name = r.String(map, "name", field) ?? "";
        if (name.Length > 0 && (name.Length > maxLength || !DnsLabel().IsMatch(name)))
        {
            r.Problem(FleetManifestReader.Child(map, "name"), field + ".name",
                $"'{name}' is not a valid name; expected lowercase letters, digits and '-', starting and ending with a letter or digit, at most {maxLength} characters");
        }

        return name;
    }

    private static string Method(FleetManifestReader r, YamlMappingNode map, string field)
    {
        var method = r.String(map, "method", field, "GET")!.ToUpperInvariant();
        if (!Methods.Contains(method))
        {
            r.Problem(FleetManifestReader.Child(map, "method"), field + ".method", $"expected one of {string.Join(", ", Methods)}, got '{method}'");
        }

        return method;
    }

    private static string Path(FleetManifestReader r, YamlMappingNode map, string field, string? fallback)
    {
        var path = r.String(map, "path", field, fallback) ?? "/";
        if (!path.StartsWith('/'))
        {
            r.Problem(FleetManifestReader.Child(map, "path"), field + ".path", $"expected a path starting with '/', got '{path}'");
        }

        return path;
    }

    /// <summary>A route whose calls lead back to itself would make every request recurse forever.</summary>
    private static void ReportCycles(FleetManifestReader r, List<(CallSpec Call, string Namespace, string From, YamlNode Node, string Field)> calls)
    {
        // Edges from a route to the routes its calls reach; a call to a path no route declares ends the chain.
        var edges = calls.GroupBy(c => c.From).ToDictionary(g => g.Key, g => g.Select(c =>
        {
            var (targetNs, service) = FleetManifest.ParseService(c.Call.Service, c.Namespace);
            return (Target: $"{targetNs}/{service} {c.Call.Method} {c.Call.Path}", c.Node, c.Field);
        }).ToList());
        var done = new HashSet<string>();
        var stack = new List<string>();

        bool Visit(string route)
        {
            if (stack.Contains(route))
            {
                var cycle = stack.Skip(stack.IndexOf(route)).Append(route).ToList();
                var call = edges[stack[^1]].First(e => e.Target == route);
                r.Problem(call.Node, call.Field, $"call cycle: {string.Join(" -> ", cycle)}");
                return true;
            }

            if (!done.Add(route))
            {
                return false;
            }

            stack.Add(route);
            var found = edges.TryGetValue(route, out var next) && next.Any(e => Visit(e.Target));
            stack.RemoveAt(stack.Count - 1);
            return found;
        }

        foreach (var route in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(route))
            {
                return;
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}

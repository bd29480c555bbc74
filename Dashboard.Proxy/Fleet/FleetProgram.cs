using System.Globalization;
using System.Net;
using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Proxy.Fleet;

/// <summary><c>Dashboard.Proxy fleet [MANIFEST] [--api-listen IP:PORT] [--destination-listen IP:PORT] [--tap-token TOKEN] [--no-traffic] [--no-identity]</c>.</summary>
public static class FleetProgram
{
    public const string Usage = """
        usage: Dashboard.Proxy fleet [MANIFEST] [options]     run the bundled local mesh (default manifest: docker/fleet/demo.yaml)
          --api-listen IP:PORT        Kubernetes API, /fleet/sd and /fleet/truth (default 127.0.0.1:6443)
          --destination-listen IP:PORT
                                      the destination service its proxies resolve through, gRPC h2c
                                      (default 127.0.0.1:8086; port 0: any free port)
          --tap-token TOKEN           bearer token of every proxy's tap (default: tap off); also MESH_PROXY_TAP_TOKEN
          --token-auth-file FILE      users of TokenReviews, as kube-apiserver's: CSV token,user,uid,"group1,group2"
                                      (without one every caller is system:anonymous, whom the fleet lets tap)
          --no-traffic                start the pods but none of the manifest's traffic
          --no-identity               no workload identities: meshed proxies talk plaintext (tls="disabled")
          --ip-octet N                pods get addresses 127.N.x.y (default 10; another N runs beside a fleet on 10)
          --synthetic-deployments N   add N deployments whose pods have no process but serve advancing metrics (scale)
          --synthetic-pods N          spread N synthetic pods over them (default 10 per deployment)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        string? manifestPath = null;
        var apiListen = new IPEndPoint(IPAddress.Loopback, 6443);
        var destinationListen = FleetOptions.DefaultDestinationListen;
        var tapToken = Environment.GetEnvironmentVariable(Contracts.Proxy.ProxyEnvironment.TapToken);
        var tokens = KubernetesApi.KubeTokenFile.Empty;
        var traffic = true;
        var identity = true;
        byte octet = 10;
        int? syntheticDeployments = null, syntheticPods = null;
        int Count(string option, string raw) => int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 100_000
            ? n : throw new UsageException($"{option} '{raw}' is not a whole number from 0 to 100000");
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--api-listen":
                        var raw = Value();
                        apiListen = IPEndPoint.TryParse(raw, out var ep) && ep.Port != 0 ? ep : throw new UsageException($"--api-listen '{raw}' is not an address; expected IP:PORT");
                        break;
                    case "--destination-listen":
                        var rawDestination = Value();
                        destinationListen = Configuration.ProxyOptionsParser.ParseEndPoint(args[i - 1], rawDestination, []) ?? throw new UsageException(
                            $"--destination-listen '{rawDestination}' is not an address; expected IP:PORT, e.g. 127.0.0.1:8086 (port 0: any free port)");
                        break;
                    case "--tap-token":
                        tapToken = Value();
                        break;
                    case "--token-auth-file":
                        tokens = ReadTokens(Value());
                        break;
                    case "--no-traffic":
                        traffic = false;
                        break;
                    case "--no-identity":
                        identity = false;
                        break;
                    case "--ip-octet":
                        var rawOctet = Value();
                        octet = byte.TryParse(rawOctet, NumberStyles.None, CultureInfo.InvariantCulture, out var o) && o is >= 1 and <= 254
                            ? o : throw new UsageException($"--ip-octet '{rawOctet}' is not a number from 1 to 254");
                        break;
                    case "--synthetic-deployments":
                        syntheticDeployments = Count(args[i], Value());
                        break;
                    case "--synthetic-pods":
                        syntheticPods = Count(args[i], Value());
                        break;
                    case "-h" or "--help":
                        Console.WriteLine(Usage);
                        return 0;
                    case var flag when flag.StartsWith('-'):
                        throw new UsageException($"unknown option '{flag}'");
                    default:
                        manifestPath = manifestPath is null ? args[i] : throw new UsageException($"one manifest only; got '{manifestPath}' and '{args[i]}'");
                        break;
                }
            }
            catch (UsageException ex)
            {
                await Console.Error.WriteLineAsync($"{ex.Message}\n\n{Usage}");
                return Hosting.ProxyExitCodes.BadConfiguration;
            }
        }

        FleetManifest manifest;
        try
        {
            manifest = FleetManifestLoader.Load(manifestPath ?? FleetOptions.DefaultManifest);
        }
        catch (FleetManifestException ex)
        {
            await Console.Error.WriteLineAsync($"invalid fleet manifest:\n{ex.Message}");
            return Hosting.ProxyExitCodes.BadConfiguration;
        }

        FleetHost fleet;
        try
        {
            fleet = await FleetHost.StartAsync(new FleetOptions
            {
                Manifest = manifest,
                ApiListen = apiListen,
                DestinationListen = destinationListen,
                TapToken = string.IsNullOrWhiteSpace(tapToken) ? null : tapToken,
                Tokens = tokens,
                GenerateTraffic = traffic,
                Identity = identity,
                IpSecondOctet = octet,
                Synthetic = new SyntheticWorkloads(syntheticDeployments ?? 0, syntheticPods ?? ((syntheticDeployments ?? 0) * 10)),
            });
        }
        catch (FleetStartException ex)
        {
            await Console.Error.WriteLineAsync($"cannot start the fleet: {ex.Message}");
            return Hosting.ProxyExitCodes.StartFailed;
        }

        await using (fleet)
        {
            var pods = fleet.Topology.Pods;
            var all = fleet.Topology.Manifest;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fleet: {all.Namespaces.Count} namespaces, {all.Deployments.Count()} deployments, {pods.Count} pods ({pods.Count(p => p.Meshed)} meshed, {pods.Count(p => !p.Ready && p.Runs)} not ready), {manifest.Traffic.Count} traffic sources"));
            foreach (var pod in pods.Where(p => p.NotReadyReason is not null))
            {
                Console.WriteLine($"  pod {pod.Namespace}/{pod.Name} not ready: {pod.NotReadyReason}");
            }

            Console.WriteLine($"fleet API: {fleet.ApiUrl} (Kubernetes API, /fleet/sd, /fleet/truth?window=60s)");
            Console.WriteLine($"destination service: {fleet.DestinationEndPoint} (gRPC, h2c), which every meshed proxy resolves through");
            Console.WriteLine(fleet.Identity is { } mesh
                ? $"identity: mTLS between meshed pods; trust anchor {mesh.TrustAnchor.Subject}, issuer {mesh.Authority.Issuer.Subject}, workload certificates valid {mesh.Authority.Lifetime}"
                : "identity: off (--no-identity): meshed pods talk plaintext");
            await fleet.Host.App.WaitForShutdownAsync();
        }

        return 0;
    }

    private static KubernetesApi.KubeTokenFile ReadTokens(string file)
    {
        try
        {
            return KubernetesApi.KubeTokenFile.Parse(File.ReadAllText(file), $"--token-auth-file '{file}'");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--token-auth-file '{file}' cannot be read: {e.Message}");
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private sealed class UsageException(string message) : Exception(message);
}

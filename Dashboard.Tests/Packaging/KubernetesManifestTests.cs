using System.Text.Json.Nodes;
using Dashboard.Configuration;
using Dashboard.Contracts.Destination;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Kubernetes;
using k8s;
using k8s.Models;

namespace Dashboard.Tests.Packaging;

/// <summary>
/// docker/kubernetes: every document parses into KubernetesClient's typed objects, in an order that applies, in one
/// namespace, with least-privilege RBAC, and pods fit to run: requests and limits, probes, non-root and read-only.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly IReadOnlyList<object> All = [.. Packaged.Manifests().SelectMany(m => m.Objects)];
    private static readonly V1Namespace Namespace = Assert.IsType<V1Namespace>(All[0]);
    private static readonly IReadOnlyList<V1Deployment> Deployments = [.. All.OfType<V1Deployment>()];

    /// <summary>The built-in ClusterRole the manifests bind to, with the rules kube-apiserver gives it.</summary>
    private static readonly V1ClusterRole AuthDelegator = new()
    {
        Metadata = new() { Name = "system:auth-delegator" },
        Rules =
        [
            new() { ApiGroups = ["authentication.k8s.io"], Resources = ["tokenreviews"], Verbs = ["create"] },
            new() { ApiGroups = ["authorization.k8s.io"], Resources = ["subjectaccessreviews"], Verbs = ["create"] },
        ],
    };

    [Fact]
    public void Every_document_is_a_typed_object_of_one_control_plane_namespace()
    {
        Assert.All(Packaged.Manifests(), m => Assert.NotEmpty(m.Objects));
        Assert.Equal(["dashboard", "grafana", "linkerd-destination", "linkerd-identity", "prometheus"], Deployments.Select(d => d.Metadata.Name).Order());
        Assert.Single(All.OfType<V1Namespace>());
        foreach (var item in All.OfType<IKubernetesObject<V1ObjectMeta>>().Where(o => o is not (V1Namespace or V1ClusterRole or V1ClusterRoleBinding)))
        {
            Assert.True(item.Metadata.NamespaceProperty == Namespace.Metadata.Name, $"{item.Kind} {item.Metadata.Name} is in namespace {Namespace.Metadata.Name}");
        }

        foreach (var binding in All.OfType<V1ClusterRoleBinding>())
        {
            Assert.All(binding.Subjects, s => Assert.Equal(Namespace.Metadata.Name, s.NamespaceProperty));
        }
    }

    [Fact]
    public void What_a_document_refers_to_comes_before_it()
    {
        // `dashboard install` generates these after the Namespace (InstallTests); docker/ holds no key material.
        var seen = new HashSet<string>([$"ConfigMap/{IdentityResources.TrustRootsConfigMap}", $"Secret/{IdentityResources.IssuerSecret}", $"ClusterRole/{AuthDelegator.Metadata.Name}"]);
        Assert.DoesNotContain(All, o => o is V1Secret);
        foreach (var item in All.OfType<IKubernetesObject<V1ObjectMeta>>())
        {
            var needs = item switch
            {
                V1Deployment d => d.Spec.Template.Spec.Volumes.Where(v => v.ConfigMap is not null).Select(v => $"ConfigMap/{v.ConfigMap.Name}")
                    .Concat(d.Spec.Template.Spec.Volumes.Where(v => v.Secret is not null).Select(v => $"Secret/{v.Secret.SecretName}"))
                    .Append($"ServiceAccount/{d.Spec.Template.Spec.ServiceAccountName}"),
                V1ClusterRoleBinding b => b.Subjects.Select(s => $"{s.Kind}/{s.Name}").Append($"{b.RoleRef.Kind}/{b.RoleRef.Name}"),
                _ => [],
            };
            Assert.All(needs, need => Assert.True(seen.Contains(need), $"{item.Kind} {item.Metadata.Name} needs {need} before it"));
            seen.Add($"{item.Kind}/{item.Metadata.Name}");
        }
    }

    [Fact]
    public void Every_container_has_requests_limits_probes_and_runs_unprivileged_on_a_read_only_root()
    {
        foreach (var deployment in Deployments)
        {
            var pod = deployment.Spec.Template.Spec;
            var name = deployment.Metadata.Name;
            Assert.True(pod.SecurityContext.RunAsNonRoot == true && pod.SecurityContext.RunAsUser > 0, $"{name} runs as a non-root user");
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            Assert.Equal(deployment.Spec.Selector.MatchLabels, deployment.Spec.Selector.MatchLabels.Intersect(deployment.Spec.Template.Metadata.Labels));
            foreach (var container in pod.Containers)
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    var request = container.Resources.Requests[resource].ToDecimal();
                    var limit = container.Resources.Limits[resource].ToDecimal();
                    Assert.True(request > 0 && request <= limit, $"{name}/{container.Name}: {resource} request {request} within limit {limit}");
                }

                foreach (var probe in new[] { container.ReadinessProbe, container.LivenessProbe })
                {
                    Assert.NotNull(probe?.HttpGet);
                    Assert.Contains(probe.HttpGet.Port.Value, container.Ports.Select(p => p.Name));
                }

                var security = container.SecurityContext;
                Assert.False(security.AllowPrivilegeEscalation);
                Assert.True(security.ReadOnlyRootFilesystem);
                Assert.Equal(["ALL"], security.Capabilities.Drop);
                Assert.Null(security.Capabilities.Add);
                Assert.Matches(@"^[\w./-]+:v?\d+\.\d+\.\d+$", container.Image);
                Assert.All(container.VolumeMounts ?? [], m => Assert.Contains(m.Name, pod.Volumes.Select(v => v.Name)));
            }
        }
    }

    [Fact]
    public void Rbac_only_reads_and_the_dashboard_may_read_everything_its_inventory_watches()
    {
        var roles = All.OfType<V1ClusterRole>().Append(AuthDelegator).ToDictionary(r => r.Metadata.Name);
        // The identity endpoint's one write: asking the API whose token a proxy presents.
        Assert.Equal(["tokenreviews:create"], Granted(roles, IdentityEnvironment.DefaultServiceAccount));
        Assert.Equal(["authentication.k8s.io"], roles["linkerd-identity"].Rules.SelectMany(r => r.ApiGroups));
        foreach (var rule in roles.Values.Where(r => r.Metadata.Name is not ("linkerd-identity" or "system:auth-delegator")).SelectMany(r => r.Rules))
        {
            Assert.Empty(rule.Verbs.Except(["get", "list", "watch"]));
            Assert.DoesNotContain("*", rule.Resources.Concat(rule.ApiGroups));
        }

        var dashboard = Granted(roles, "dashboard");
        // Its writes: the two reviews of the tap stream's RBAC check (Dashboard/Tap/TapAuthorizer.cs).
        Assert.Equal(["subjectaccessreviews:create", "tokenreviews:create"], dashboard.Where(g => !g.EndsWith(":get", StringComparison.Ordinal)
            && !g.EndsWith(":list", StringComparison.Ordinal) && !g.EndsWith(":watch", StringComparison.Ordinal)).Order());
        Assert.All(InventoryReflectors.Resources, r => Assert.True(dashboard.Contains($"{r}:list") && dashboard.Contains($"{r}:watch"), $"the dashboard may list and watch {r}"));
        Assert.Equal(["pods:get", "pods:list", "pods:watch"], Granted(roles, "prometheus").Order());
        // The destination service reads what discovery reads, nothing else; proxies read nothing (they ask it).
        Assert.Equal(["endpointslices:get", "endpointslices:list", "endpointslices:watch", "pods:get", "pods:list", "pods:watch",
            "services:get", "services:list", "services:watch"], Granted(roles, DestinationEnvironment.DefaultServiceAccount).Order());
        Assert.Equal(["discovery.k8s.io"], roles["linkerd-destination"].Rules.Where(r => r.Resources.Contains("endpointslices")).SelectMany(r => r.ApiGroups));
        Assert.Equal([""], roles["linkerd-destination"].Rules.Where(r => r.Resources.Contains("pods")).SelectMany(r => r.ApiGroups));
        Assert.Empty(Granted(roles, "grafana"));
        Assert.False(Deployments.Single(d => d.Metadata.Name == "grafana").Spec.Template.Spec.AutomountServiceAccountToken);
    }

    [Fact]
    public void The_tap_role_grants_what_the_dashboard_asks_and_admins_and_editors_have_it()
    {
        var tap = All.OfType<V1ClusterRole>().Single(r => r.Metadata.Name == Contracts.Tap.TapAccess.ClusterRole);

        var rule = Assert.Single(tap.Rules);
        Assert.Equal($"{Contracts.Tap.TapAccess.Group} {Contracts.Tap.TapAccess.Resource} {Contracts.Tap.TapAccess.Verb}",
            $"{string.Join(',', rule.ApiGroups)} {string.Join(',', rule.Resources)} {string.Join(',', rule.Verbs)}");
        Assert.True(Dashboard.Proxy.Fleet.KubernetesApi.KubeRbacAuthorizer.Matches(rule, new V1ResourceAttributes
        {
            Group = Contracts.Tap.TapAccess.Group, Resource = Contracts.Tap.TapAccess.Resource, Verb = Contracts.Tap.TapAccess.Verb, NamespaceProperty = "default",
        }));
        Assert.Equal("true", tap.Metadata.Labels["rbac.authorization.k8s.io/aggregate-to-admin"]);
        Assert.Equal("true", tap.Metadata.Labels["rbac.authorization.k8s.io/aggregate-to-edit"]);
    }

    [Fact]
    public void The_dashboard_serves_port_8084_and_its_settings_pass_its_own_validation()
    {
        var deployment = Deployments.Single(d => d.Metadata.Name == "dashboard");
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        var service = All.OfType<V1Service>().Single(s => s.Metadata.Name == DashboardOptionsParser.ServiceName);
        Assert.Equal(8084, Assert.Single(service.Spec.Ports).Port);
        Assert.Equal(8084, container.Ports.Single(p => p.Name == service.Spec.Ports[0].TargetPort.Value).ContainerPort);

        var environment = container.Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);
        // The trust anchors come from the ConfigMap every proxy's injection reads.
        var anchors = container.Env.Single(e => e.Name == ConfigKeys.EnvironmentVariable(ConfigKeys.IdentityTrustAnchors)).ValueFrom.ConfigMapKeyRef;
        Assert.Equal((IdentityResources.TrustRootsConfigMap, IdentityResources.TrustRootsKey), (anchors.Name, anchors.Key));
        environment[ConfigKeys.EnvironmentVariable(ConfigKeys.IdentityTrustAnchors)] = new Dashboard.Tests.Identity.TestMesh().Anchor.ExportCertificatePem();
        var (settings, errors) = DashboardEnvironmentVariables.Parse(environment, new DashboardEnvironment(Namespace.Metadata.Name, IsInCluster: true));
        Assert.True(settings is not null, string.Join("\n", errors));
        Assert.Equal(KubernetesSource.InCluster, settings.Kubernetes);
        Assert.Equal("metadata.namespace", container.Env.Single(e => e.Name == "POD_NAMESPACE").ValueFrom.FieldRef.FieldPath);
        Assert.True(container.Env.Single(e => e.Name == ConfigKeys.EnvironmentVariable(ConfigKeys.TapToken)).ValueFrom.SecretKeyRef.Optional);
        // It taps as the identity the proxies expect by default, proved by a token projected as inject projects the proxies'.
        Assert.Equal(ProxyEnvironment.DefaultTapServiceName(IdentityNames.DefaultTrustDomain), settings.Identity!.LocalName);
        Assert.Equal(Dashboard.Cli.Inject.ProxyIdentity.TokenFile, settings.Identity.TokenFile);
        Assert.Equal(deployment.Spec.Template.Spec.ServiceAccountName, IdentityNames.TryParse(settings.Identity.LocalName, out var account, out _, out _) ? account : null);
        var token = deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == Dashboard.Cli.Inject.ProxyIdentity.TokenVolume).Projected.Sources.Single().ServiceAccountToken;
        Assert.Equal(IdentityResources.TokenAudience, token.Audience);
        Assert.Equal(Dashboard.Cli.Inject.ProxyIdentity.TokenDirectory, container.VolumeMounts.Single(m => m.Name == Dashboard.Cli.Inject.ProxyIdentity.TokenVolume).MountPath);
        AssertServes(settings.Prometheus.Url, "prometheus");
        AssertServes(settings.Grafana!.Url, "grafana");
        var cluster = Packaged.Yaml(Packaged.ClusterPrometheusConfig);
        Assert.Equal(ComposeTests.Duration(cluster.Text("global", "scrape_interval")), settings.Prometheus.ScrapeInterval);

        // The kubelet probes with the pod IP as Host unless told otherwise; the dashboard answers only known hosts.
        foreach (var probe in new[] { container.ReadinessProbe, container.LivenessProbe })
        {
            Assert.Contains(probe.HttpGet.HttpHeaders.Single(h => h.Name == "Host").Value, settings.AllowedHosts.Select(h => h.ToString()));
        }

        Assert.Equal($"dashboard/dashboard:{Dashboard.Proxy.Metrics.ProxyMetrics.Version}", container.Image);
    }

    [Fact]
    public void Grafana_serves_under_the_path_the_dashboard_forwards_and_provisions_the_dashboards_of_docker()
    {
        var grafana = Assert.Single(Deployments.Single(d => d.Metadata.Name == "grafana").Spec.Template.Spec.Containers);
        var env = grafana.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("true", env["GF_SERVER_SERVE_FROM_SUB_PATH"]);
        Assert.EndsWith(Dashboard.Grafana.GrafanaProxy.PathPrefix + "/", env["GF_SERVER_ROOT_URL"], StringComparison.Ordinal);

        var provisioning = Packaged.ConfigMap("grafana-provisioning").Data;
        var datasource = Packaged.Yaml(provisioning["datasources.yaml"]).At("datasources", 0);
        AssertServes(new Uri(datasource.Text("url")), "prometheus");
        var path = Packaged.Yaml(provisioning["dashboards.yaml"]).Text("providers", 0, "options", "path");
        var volume = grafana.VolumeMounts.Single(m => m.MountPath == path).Name;
        Assert.Equal("grafana-dashboards", Deployments.Single(d => d.Metadata.Name == "grafana").Spec.Template.Spec.Volumes.Single(v => v.Name == volume).ConfigMap.Name);
        Assert.StartsWith(path + "/", env["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"], StringComparison.Ordinal);

        var dashboards = Packaged.ConfigMap("grafana-dashboards");
        var files = Directory.GetFiles(Packaged.GrafanaDashboards, "*.json").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        Assert.Equal(files.Keys.Order(), dashboards.Data.Keys.Order());
        Assert.Contains(Path.GetFileName(env["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]), files.Keys);
        foreach (var (file, text) in files)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(text), JsonNode.Parse(dashboards.Data[file])), $"{file} in the ConfigMap is docker/grafana/dashboards/{file}");
            Assert.Equal([datasource.Text("uid")], GrafanaDashboard.Load(Path.Combine(Packaged.GrafanaDashboards, file)).DatasourceUids().Distinct());
        }

        // kubectl apply keeps the last applied object in an annotation of at most 256 KiB, as Go writes JSON:
        // quotes as \", and <, > and & as \u003c, \u003e and \u0026.
        var json = JsonNode.Parse(KubernetesJson.Serialize(dashboards))!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.InRange(json.Length + (5 * json.Count(c => c is '<' or '>' or '&')), 0, 200 * 1024);
    }

    [Fact]
    public void The_identity_endpoint_runs_the_proxy_image_with_its_material_where_it_reads_it_and_the_identity_proxies_expect()
    {
        var deployment = Deployments.Single(d => d.Metadata.Name == IdentityEnvironment.DefaultServiceAccount);
        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.Equal((IdentityEnvironment.DefaultServiceAccount, $"dashboard/proxy:{Dashboard.Proxy.Metrics.ProxyMetrics.Version}", "identity"),
            (pod.ServiceAccountName, container.Image, Assert.Single(container.Args)));
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal(IdentityEnvironment.DefaultLocalName(IdentityNames.DefaultTrustDomain), env[IdentityEnvironment.LocalName]);
        Assert.Equal(IdentityEnvironment.DefaultListenAddr, env[IdentityEnvironment.ListenAddr]);

        string MountOf(string file) => container.VolumeMounts.Single(m => file.StartsWith(m.MountPath + "/", StringComparison.Ordinal)).Name;
        var volumes = pod.Volumes.ToDictionary(v => v.Name);
        Assert.Equal(IdentityResources.TrustRootsConfigMap, volumes[MountOf(env[IdentityEnvironment.TrustAnchorsFile])].ConfigMap.Name);
        Assert.EndsWith("/" + IdentityResources.TrustRootsKey, env[IdentityEnvironment.TrustAnchorsFile], StringComparison.Ordinal);
        Assert.Equal(IdentityResources.IssuerSecret, volumes[MountOf(env[IdentityEnvironment.IssuerCertificateFile])].Secret.SecretName);
        Assert.Equal(IdentityResources.IssuerSecret, volumes[MountOf(env[IdentityEnvironment.IssuerKeyFile])].Secret.SecretName);
        Assert.EndsWith("/" + IdentityResources.IssuerCertificateKey, env[IdentityEnvironment.IssuerCertificateFile], StringComparison.Ordinal);
        Assert.EndsWith("/" + IdentityResources.IssuerPrivateKeyKey, env[IdentityEnvironment.IssuerKeyFile], StringComparison.Ordinal);
        Assert.Equal("HTTPS", container.ReadinessProbe.HttpGet.Scheme);

        var service = All.OfType<V1Service>().Single(s => s.Metadata.Name == Dashboard.Cli.Inject.ProxyIdentity.ServiceName);
        Assert.Equal(Dashboard.Cli.Inject.ProxyIdentity.ServicePort, Assert.Single(service.Spec.Ports).Port);
        Assert.Equal(System.Net.IPEndPoint.Parse(env[IdentityEnvironment.ListenAddr]).Port, container.Ports.Single(p => p.Name == service.Spec.Ports[0].TargetPort.Value).ContainerPort);
    }

    [Fact]
    public void The_destination_service_runs_the_proxy_image_on_8086_with_its_identity_and_probes_on_its_admin_port()
    {
        var deployment = Deployments.Single(d => d.Metadata.Name == DestinationEnvironment.ServiceName);
        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.Equal((DestinationEnvironment.DefaultServiceAccount, $"dashboard/proxy:{Dashboard.Proxy.Metrics.ProxyMetrics.Version}", DestinationEnvironment.Verb),
            (pod.ServiceAccountName, container.Image, Assert.Single(container.Args)));

        // Its settings pass its own parser, with the trust anchors the ConfigMap would give.
        var anchors = container.Env.Single(e => e.Name == DestinationEnvironment.IdentityTrustAnchors).ValueFrom.ConfigMapKeyRef;
        Assert.Equal((IdentityResources.TrustRootsConfigMap, IdentityResources.TrustRootsKey), (anchors.Name, anchors.Key));
        var env = container.Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);
        env[DestinationEnvironment.IdentityTrustAnchors] = new Dashboard.Tests.Identity.TestMesh().Anchor.ExportCertificatePem();
        var (options, errors) = Dashboard.Proxy.Destination.DestinationOptionsParser.Parse([], env.GetValueOrDefault);
        Assert.True(options is not null, string.Join("\n", errors));
        Assert.Equal(DestinationEnvironment.DefaultLocalName(IdentityNames.DefaultTrustDomain), options.Identity!.LocalName);
        Assert.Equal(pod.ServiceAccountName, IdentityNames.TryParse(options.Identity.LocalName, out var account, out _, out _) ? account : null);
        Assert.Equal(IdentityEnvironment.DefaultLocalName(IdentityNames.DefaultTrustDomain), options.Identity.ServiceName);
        Assert.Equal($"{Dashboard.Cli.Inject.ProxyIdentity.ServiceName}.{Namespace.Metadata.Name}.svc.cluster.local:{Dashboard.Cli.Inject.ProxyIdentity.ServicePort}",
            options.Identity.ServiceAddress);
        Assert.Equal(Dashboard.Cli.Inject.ProxyIdentity.TokenFile, options.Identity.TokenFile);
        var token = pod.Volumes.Single(v => v.Name == Dashboard.Cli.Inject.ProxyIdentity.TokenVolume).Projected.Sources.Single().ServiceAccountToken;
        Assert.Equal(IdentityResources.TokenAudience, token.Audience);
        Assert.Equal(Dashboard.Cli.Inject.ProxyIdentity.TokenDirectory, container.VolumeMounts.Single(m => m.Name == Dashboard.Cli.Inject.ProxyIdentity.TokenVolume).MountPath);

        var ports = container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
        Assert.Equal(options.Listen.Port, ports["grpc"]);
        var adminPort = options.Admin!.Port;
        Assert.Equal((DestinationEnvironment.DefaultPort, DestinationEnvironment.DefaultAdminPort), (options.Listen.Port, adminPort));
        Assert.Equal(("/ready", adminPort), (container.ReadinessProbe.HttpGet.Path, ports[container.ReadinessProbe.HttpGet.Port.Value]));
        Assert.Equal(("/live", adminPort), (container.LivenessProbe.HttpGet.Path, ports[container.LivenessProbe.HttpGet.Port.Value]));

        // The address inject gives proxies is this Service's.
        var service = All.OfType<V1Service>().Single(s => s.Metadata.Name == DestinationEnvironment.ServiceName);
        var port = Assert.Single(service.Spec.Ports);
        Assert.Equal((DestinationEnvironment.DefaultPort, options.Listen.Port), (port.Port, ports[port.TargetPort.Value]));
        Assert.Equal(DestinationEnvironment.ClusterAddress(Namespace.Metadata.Name), $"{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc.cluster.local:{port.Port}");
    }

    /// <summary>The ServiceAccount's ClusterRole grants, as "resource:verb".</summary>
    private static HashSet<string> Granted(Dictionary<string, V1ClusterRole> roles, string serviceAccount) =>
    [
        .. All.OfType<V1ClusterRoleBinding>().Where(b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == serviceAccount))
            .SelectMany(b => roles[b.RoleRef.Name].Rules)
            .SelectMany(r => r.Resources.SelectMany(resource => r.Verbs.Select(verb => $"{resource}:{verb}"))),
    ];

    /// <summary>The URL names a Service of this namespace by its short name, on a port that Service serves.</summary>
    private static void AssertServes(Uri url, string service)
    {
        Assert.Equal(service, url.Host);
        Assert.Contains(url.Port, All.OfType<V1Service>().Single(s => s.Metadata.Name == service).Spec.Ports.Select(p => p.Port));
    }
}

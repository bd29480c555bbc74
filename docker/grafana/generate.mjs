#!/usr/bin/env node
// Writes the Grafana dashboards (docker/grafana/dashboards/*.json) and the ConfigMap that provisions the same
// files in a cluster (docker/kubernetes/30-grafana-dashboards.yaml). Edit this file, never its output:
//   node docker/grafana/generate.mjs           write the files
//   node docker/grafana/generate.mjs --check   write nothing; exit 1 naming every file that is not up to date
// The PromQL follows docs/ARCHITECTURE.md §3: a resource's own numbers from its inbound metrics; who calls it from
// the callers' outbound metrics (dst_* labels); whom it calls from its own outbound metrics; rate(), not irate().
// Uids and variable names are what the dashboard's links use: /d/linkerd-<kind>?var-<kind>=NAME&var-namespace=NS.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const datasource = { type: 'prometheus', uid: 'prometheus' };
const window = '[$__rate_interval]';

// ---- PromQL
const matchers = (...list) => `{${list.filter(Boolean).join(', ')}}`;
const sumBy = labels => (labels.length ? `sum by (${labels.join(', ')}) ` : 'sum ');

/** A scope is the per-series rate of a metric over the traffic a panel is about. */
const scope = (...selector) => (metric, extra) => `rate(${metric}${matchers(...selector, extra)}${window})`;

/**
 * Traffic to the pods of a workload kind the proxy has no dst_<kind> label for (statefulset, daemonset, job): the
 * callers' outbound series whose dst_pod is one of the workload's pods, joined on the pods' own process series.
 */
const toPodsOf = (label, variable) => (metric, extra) =>
  `(rate(${metric}${matchers('direction="outbound"', 'dst_namespace="$namespace"', extra)}${window})` +
  ` * on (dst_namespace, dst_pod) group_left group by (dst_namespace, dst_pod) (` +
  `label_replace(label_replace(process_start_time_seconds{namespace="$namespace", ${label}="$${variable}"}, ` +
  `"dst_pod", "$1", "pod", "(.+)"), "dst_namespace", "$1", "namespace", "(.+)")))`;

const successRate = (of, by = []) =>
  `${sumBy(by)}(${of('response_total', 'classification="success"')}) / ${sumBy(by)}(${of('response_total')})`;
const rps = (of, by = []) => `${sumBy(by)}(${of('response_total')})`;
const quantile = (q, of, by = []) => `histogram_quantile(${q}, ${sumBy(['le', ...by])}(${of('response_latency_ms_bucket')}))`;

// ---- panels
const target = (expr, legendFormat = '', refId = 'A') => ({ refId, datasource, expr, legendFormat, range: true });
const successThresholds = {
  mode: 'absolute',
  // The dashboard's own colours (Dashboard/Model/StatFormat.cs): red below 90 %, orange below 95 %, green otherwise.
  steps: [{ color: 'red', value: null }, { color: 'orange', value: 0.9 }, { color: 'green', value: 0.95 }],
};
const plainThresholds = { mode: 'absolute', steps: [{ color: 'text', value: null }] };

const stat = (title, unit, expr, w) => ({
  type: 'stat', title, w, h: 4, datasource,
  fieldConfig: {
    defaults: {
      unit, decimals: unit === 'percentunit' ? 2 : undefined, color: { mode: 'thresholds' },
      thresholds: unit === 'percentunit' ? successThresholds : plainThresholds,
    },
    overrides: [],
  },
  options: {
    reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
    colorMode: 'value', graphMode: 'area', justifyMode: 'auto', textMode: 'auto', orientation: 'auto',
  },
  targets: [target(expr)],
});

const graph = (title, unit, targets, w = 8, description = undefined) => ({
  type: 'timeseries', title, description, w, h: 8, datasource,
  fieldConfig: {
    defaults: {
      unit, min: unit === 'percentunit' ? 0 : undefined, max: unit === 'percentunit' ? 1 : undefined,
      custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never', spanNulls: false },
    },
    overrides: [],
  },
  options: {
    legend: { displayMode: 'table', placement: 'bottom', calcs: ['mean', 'lastNotNull'], showLegend: true },
    tooltip: { mode: 'multi', sort: 'desc' },
  },
  targets: targets.map((t, i) => ({ ...t, refId: String.fromCharCode(65 + i) })),
});

/** The five numbers of a stat table row: success rate, RPS, P50, P95, P99. */
const headline = of => [
  stat('Success rate', 'percentunit', successRate(of), 6),
  stat('Requests per second', 'reqps', rps(of), 6),
  stat('P50 latency', 'ms', quantile(0.5, of), 4),
  stat('P95 latency', 'ms', quantile(0.95, of), 4),
  stat('P99 latency', 'ms', quantile(0.99, of), 4),
];

/** Success rate, RPS and latency over time; split by `by` when given, else the three quantiles. */
const signals = (of, by = [], legend = '') => [
  graph('Success rate', 'percentunit', [target(successRate(of, by), legend)]),
  graph('Requests per second', 'reqps', [target(rps(of, by), legend)]),
  by.length
    ? graph('P95 latency', 'ms', [target(quantile(0.95, of, by), legend)])
    : graph('Latency', 'ms', [target(quantile(0.5, of), 'P50'), target(quantile(0.95, of), 'P95'), target(quantile(0.99, of), 'P99')]),
];

const tcp = (selector, by, legend) => [
  graph('Open connections', 'short', [target(`${sumBy(by)}(tcp_open_connections${matchers(...selector)})`, legend)], 6),
  graph('Bytes read per second', 'Bps', [target(`${sumBy(by)}(rate(tcp_read_bytes_total${matchers(...selector)}${window}))`, legend)], 6),
  graph('Bytes written per second', 'Bps', [target(`${sumBy(by)}(rate(tcp_write_bytes_total${matchers(...selector)}${window}))`, legend)], 6),
  graph('Connections closed with an error per second', 'short',
    [target(`${sumBy([...by, 'errno'])}(rate(tcp_close_total${matchers(...selector, 'errno!=""')}${window}))`, `${legend} {{errno}}`)], 6),
];

// ---- dashboards
const variable = (name, label, query, extra = {}) => ({
  name, label, type: 'query', datasource, query, definition: query,
  refresh: 2, sort: 1, includeAll: false, multi: false, hide: 0, current: {}, options: [], ...extra,
});
const namespaceVariable = variable('namespace', 'Namespace', 'label_values(process_start_time_seconds, namespace)');

/** Places sections of panels on Grafana's 24-column grid, each optional section under a row. */
function layout(sections) {
  const panels = [];
  let y = 0;
  for (const section of sections) {
    if (section.row) {
      panels.push({ type: 'row', title: section.row, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
      y += 1;
    }
    let x = 0;
    let height = 0;
    for (const { w, h, ...panel } of section.panels) {
      if (x + w > 24) {
        [x, y, height] = [0, y + height, 0];
      }
      panels.push({ ...panel, gridPos: { h, w, x, y } });
      [x, height] = [x + w, Math.max(height, h)];
    }
    y += height;
  }
  return panels.map((panel, i) => ({ id: i + 1, ...panel }));
}

const dashboard = (uid, title, description, variables, sections) => ({
  uid, title, description, tags: ['linkerd'], editable: false, graphTooltip: 1, refresh: '10s',
  schemaVersion: 39, version: 1, timezone: '', time: { from: 'now-15m', to: 'now' },
  annotations: { list: [] },
  templating: { list: variables },
  links: [{ title: 'Linkerd dashboards', type: 'dashboards', tags: ['linkerd'], asDropdown: true, includeVars: true, keepTime: true }],
  panels: layout(sections),
});

const callers = ['namespace', 'deployment'];
const callerLegend = '{{namespace}}/{{deployment}}';
const destinations = ['dst_namespace', 'dst_deployment'];
const destinationLegend = '{{dst_namespace}}/{{dst_deployment}}';
const inboundNote = 'Requests from meshed callers, as their proxies counted them; unmeshed clients count only in the numbers at the top.';

/** Deployment, StatefulSet, DaemonSet, Job and Pod: the kind's label on its own metrics, dst_<kind> on its callers'. */
function workload({ kind, title, label, dst }) {
  const self = ['namespace="$namespace"', `${label}="$${kind}"`];
  const inbound = scope('direction="inbound"', ...self);
  const toIt = dst ? scope('direction="outbound"', 'dst_namespace="$namespace"', `${dst}="$${kind}"`) : toPodsOf(label, kind);
  return dashboard(`linkerd-${kind}`, `Linkerd ${title}`, `Traffic of one ${title}: its meshed pods' inbound and outbound requests and TCP connections.`,
    [namespaceVariable, variable(kind, title, `label_values(process_start_time_seconds{namespace="$namespace"}, ${label})`)],
    [
      { panels: [...headline(inbound), ...signals(inbound)] },
      { row: `Inbound: who calls $${kind}`, panels: signals(toIt, callers, callerLegend).map(p => ({ ...p, description: inboundNote })) },
      { row: `Outbound: whom $${kind} calls`, panels: signals(scope('direction="outbound"', ...self), destinations, destinationLegend) },
      { row: 'TCP', panels: tcp(self, ['direction', 'peer'], '{{direction}} {{peer}}') },
    ]);
}

const kinds = [
  { kind: 'deployment', title: 'Deployment', label: 'deployment', dst: 'dst_deployment' },
  { kind: 'statefulset', title: 'StatefulSet', label: 'statefulset' },
  { kind: 'daemonset', title: 'DaemonSet', label: 'daemonset' },
  // "job" is Prometheus' own label: a Kubernetes Job's name is in k8s_job (docker/kubernetes/20-prometheus.yaml).
  { kind: 'job', title: 'Job', label: 'k8s_job' },
  { kind: 'pod', title: 'Pod', label: 'pod', dst: 'dst_pod' },
];

function topLine() {
  const all = variable('namespace', 'Namespace', 'label_values(process_start_time_seconds, namespace)',
    { includeAll: true, multi: true, allValue: '.*', current: { text: ['All'], value: ['$__all'] } });
  const inbound = scope('direction="inbound"', 'namespace=~"$namespace"');
  return dashboard('linkerd-top-line', 'Linkerd Top Line', 'Every meshed workload at a glance: the mesh\'s success rate, request rate and latency, by namespace and deployment.',
    [all],
    [
      { panels: [...headline(inbound), ...signals(inbound, ['namespace'], '{{namespace}}')] },
      { row: 'Deployments', panels: signals(inbound, ['namespace', 'deployment'], '{{namespace}}/{{deployment}}') },
      { row: 'TCP', panels: tcp(['namespace=~"$namespace"'], ['namespace', 'direction'], '{{namespace}} {{direction}}') },
    ]);
}

function namespace() {
  const inbound = scope('direction="inbound"', 'namespace="$namespace"');
  return dashboard('linkerd-namespace', 'Linkerd Namespace', 'One namespace: its deployments, and the traffic that crosses its boundary.',
    [namespaceVariable],
    [
      { panels: [...headline(inbound), ...signals(inbound, ['deployment'], '{{deployment}}')] },
      { row: 'Inbound: traffic into $namespace by source namespace', panels: signals(scope('direction="outbound"', 'dst_namespace="$namespace"'), ['namespace'], '{{namespace}}') },
      { row: 'Outbound: traffic from $namespace by destination namespace', panels: signals(scope('direction="outbound"', 'namespace="$namespace"'), ['dst_namespace'], '{{dst_namespace}}') },
      { row: 'TCP', panels: tcp(['namespace="$namespace"'], ['deployment', 'direction'], '{{deployment}} {{direction}}') },
    ]);
}

function service() {
  const toService = ['direction="outbound"', 'dst_namespace="$namespace"', 'dst_service="$service"'];
  const of = scope(...toService);
  return dashboard('linkerd-service', 'Linkerd Service', 'Requests to one Service, as its meshed callers\' proxies counted them, and the pods that served them.',
    [namespaceVariable, variable('service', 'Service', 'label_values(response_total{direction="outbound", dst_namespace="$namespace"}, dst_service)')],
    [
      { panels: [...headline(of), ...signals(of)] },
      { row: 'Inbound: who calls $service', panels: signals(of, callers, callerLegend) },
      { row: 'Endpoints: the pods that served $service', panels: signals(of, ['dst_pod'], '{{dst_pod}}') },
      { row: 'TCP: connections to $service', panels: tcp([...toService, 'peer="dst"'], callers, callerLegend) },
    ]);
}

const dashboards = {
  'top-line.json': topLine(),
  'namespace.json': namespace(),
  ...Object.fromEntries(kinds.map(k => [`${k.kind}.json`, workload(k)])),
  'service.json': service(),
};

// ---- output
const json = value => JSON.stringify(value, null, 2) + '\n';
// Compact in the ConfigMap: `kubectl apply` keeps a copy of the object in an annotation limited to 256 KiB.
const configMap = [
  '# Generated by docker/grafana/generate.mjs: the dashboards of docker/grafana/dashboards, compacted. Do not edit.',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: grafana-dashboards',
  '  namespace: linkerd',
  '  labels:',
  '    app.kubernetes.io/name: grafana',
  '    app.kubernetes.io/part-of: dashboard',
  'data:',
  ...Object.entries(dashboards).flatMap(([file, value]) =>
    [`  ${file}: |`, `    ${JSON.stringify(value)}`]),
].join('\n') + '\n';

const outputs = {
  ...Object.fromEntries(Object.entries(dashboards).map(([file, value]) => [join(root, 'dashboards', file), json(value)])),
  [join(root, '..', 'kubernetes', '30-grafana-dashboards.yaml')]: configMap,
};

const check = process.argv.includes('--check');
const stale = Object.entries(outputs).filter(([path, text]) => !existsSync(path) || readFileSync(path, 'utf8') !== text);
// A dashboard this script no longer makes would still be provisioned locally: it goes too.
const extra = readdirSync(join(root, 'dashboards')).map(file => join(root, 'dashboards', file)).filter(path => !(path in outputs));
if (check) {
  for (const [path] of stale) {
    console.error(`not up to date: ${path} (run: node docker/grafana/generate.mjs)`);
  }
  for (const path of extra) {
    console.error(`not made by docker/grafana/generate.mjs: ${path}`);
  }
  process.exit(stale.length + extra.length ? 1 : 0);
}
for (const [path, text] of stale) {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
for (const path of extra) {
  rmSync(path);
  console.log(`removed ${path}`);
}

// Drives headless Debian Chromium on /tap of a running dashboard for bench/tap.sh, and measures tap end to end.
// Usage: node tap-probe.mjs DASHBOARD_URL FLEET_API_URL NAMESPACE DASHBOARD_PID FLEET_PID HEAP_PROBE_FILE WARMUP_S DURATION_S
// Prints the figures against their targets; exits non-zero only when it could not measure.
import { chromium } from 'playwright-core';
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { liveHeapMiB, steadyHeapMiB } from './heap-probe/heap-probe.mjs';

const [dashboard, fleetApi, namespace, dashboardPid, fleetPid, heapProbe, warmupArg, durationArg] = process.argv.slice(2);
const [warmup, duration] = [Number(warmupArg), Number(durationArg)];
const target = { fanIn: 10000, page: 2000, p99: 250 };
const clockTicks = Number(process.env.CLK_TCK ?? 100);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const pct = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.max(0, Math.ceil(q * s.length) - 1)] : NaN; };
const fixed = (x, d = 0) => Number.isFinite(x) ? x.toFixed(d) : '-';

// CPU seconds from /proc: of a process, of the processes below one (the browser's, below this probe), of the machine.
const stat = pid => { try { return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); } catch { return null; } };
const cpuOf = pid => { const f = stat(pid); return f ? (Number(f[11]) + Number(f[12])) / clockTicks : 0; };
function cpuBelow(root) {
  const parent = new Map();
  for (const name of readdirSync('/proc')) { if (/^\d+$/.test(name)) { const f = stat(name); if (f) parent.set(Number(name), Number(f[1])); } }
  let total = 0;
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p; p = parent.get(p)) { if (p === root) { total += cpuOf(pid); break; } }
  }
  return total;
}
const machineBusy = () => {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / clockTicks;
};
const cpuNow = () => ({ at: Date.now(), fleet: cpuOf(fleetPid), dashboard: cpuOf(dashboardPid), browser: cpuBelow(process.pid),
  probe: (({ user, system }) => (user + system) / 1e6)(process.cpuUsage()), busy: machineBusy() });
const rssMiB = pid => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
const alive = () => { if (!stat(dashboardPid) || !stat(fleetPid)) throw new Error('the dashboard or the fleet exited'); };

// What the proxies counted: requests (three tap events each when tapped), and events they dropped because the
// dashboard read them too slowly.
const podIps = async () => (await (await fetch(`${fleetApi}/api/v1/namespaces/${namespace}/pods`)).json()).items.map(p => p.status.podIP);
async function proxyCounts(ips) {
  let requests = 0, dropped = 0;
  for (const ip of ips) {
    for (const line of (await (await fetch(`http://${ip}:4191/metrics`)).text()).split('\n')) {
      if (line.startsWith('request_total{')) requests += Number(line.split(' ').pop());
      else if (line.startsWith('tap_dropped_events_total')) dropped += Number(line.split(' ').pop());
    }
  }
  return { requests, dropped };
}

// In the page: each tap row when it first shows (the animation frame after it enters the DOM) and how long before
// that its proxy saw the request (data-started-ms); one entry per render that brought rows.
const rowObserver = () => {
  window.__tap = { recording: false, renders: [] };
  new MutationObserver(records => {
    if (!window.__tap.recording) return;
    const rows = [];
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue;
        if (node.matches('tr.tap-row')) rows.push(node); else rows.push(...node.querySelectorAll('tr.tap-row'));
      }
    }
    if (rows.length === 0) return;
    requestAnimationFrame(() => {
      const shown = performance.timeOrigin + performance.now();
      window.__tap.renders.push([shown, rows.map(r => shown - Number(r.dataset.startedMs)), rows.map(r => Number(r.dataset.sequence))]);
    });
  }).observe(document, { childList: true, subtree: true });
};
// The counters of the page's tap summary (TapPodsStatus), as the page last rendered them.
const counters = page => page.evaluate(() => {
  const s = document.querySelector('.tap-summary');
  return { at: Date.now(), streamed: Number(s.dataset.streamed), events: Number(s.dataset.events), dropped: Number(s.dataset.dropped), text: s.textContent.replace(/\s+/g, ' ').trim() };
});

// Opens the tap of the whole namespace with a budget no pod reaches (TapQuery.MaxRpsLimit), so every request is
// tapped; retried while the dashboard's inventory does not know the namespace yet.
async function openTap(page, pods) {
  const streaming = new RegExp(`Streaming from ${pods} of ${pods} pods`);
  for (let attempt = 0; ; attempt++) {
    await page.goto(`${dashboard}/tap?namespace=${namespace}&maxRps=100000&autostart=true`);
    const outcome = await page.waitForFunction(re => {
      if (document.querySelector('.tap-error')) return 'error';
      return new RegExp(re).test(document.querySelector('.tap-summary')?.textContent ?? '') && document.querySelector('tr.tap-row') ? 'streaming' : null;
    }, streaming.source, { timeout: 60000 });
    if (await outcome.jsonValue() === 'streaming') return;
    if (attempt === 30) throw new Error(`the tap page kept failing: ${await page.locator('.tap-error').textContent()}`);
    await sleep(1000);
  }
}

// Playwright starts Chromium in a process group of its own: on a signal the probe closes it (bounded), then ends.
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
let stopping;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  // The signal may come twice (from the group's kill and from timeout): the second must not end the probe mid-close.
  process.on(signal, () => { stopping ??= Promise.race([browser.close(), sleep(10000)]).finally(() => process.exit(130)); });
}
try {
  const ips = await podIps();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(rowObserver);
  await openTap(page, ips.length);
  console.log(`tapping ${ips.length} pods of namespace ${namespace}; warming up ${warmup} s...`);
  await sleep(warmup * 1000);

  // The window, between the steady live heaps before and after it, with a live heap every 15 s. The heap probe's full
  // collections pause the dashboard: rows shown from a probe's start until a second after it are left out of the latencies.
  const heapBefore = await steadyHeapMiB(heapProbe);
  const heaps = [];
  const paused = [];
  const rss = [];
  const cpu0 = cpuNow();
  const proxies0 = await proxyCounts(ips);
  const page0 = await counters(page);
  await page.evaluate(() => { window.__tap.recording = true; });
  for (let s = 1; s <= duration; s++) {
    await sleep(1000);
    alive();
    rss.push(rssMiB(dashboardPid));
    if (s % 15 === 0 && s < duration) {
      const from = Date.now();
      heaps.push([s, await liveHeapMiB(heapProbe)]);
      paused.push([from, Date.now() + 1000]);
    }
  }
  const page1 = await counters(page);
  const renders = await page.evaluate(() => { window.__tap.recording = false; return window.__tap.renders; });
  const proxies1 = await proxyCounts(ips);
  const cpu1 = cpuNow();
  const heapAfter = await steadyHeapMiB(heapProbe);
  report({ page0, page1, proxies0, proxies1, cpu0, cpu1, heapBefore, heaps, heapAfter, rss, renders, paused });
} finally {
  await browser.close();
}

function report({ page0, page1, proxies0, proxies1, cpu0, cpu1, heapBefore, heaps, heapAfter, rss, renders, paused }) {
  const elapsed = (page1.at - page0.at) / 1000;
  const rate = (a, b) => (b - a) / elapsed;
  const offered = 3 * rate(proxies0.requests, proxies1.requests);
  const proxyDropped = rate(proxies0.dropped, proxies1.dropped);
  const fanIn = rate(page0.streamed, page1.streamed);
  const toPage = rate(page0.events, page1.events);
  const sessionDropped = rate(page0.dropped, page1.dropped);

  const kept = renders.filter(([at]) => !paused.some(([from, to]) => at >= from && at <= to));
  const latencies = kept.flatMap(r => r[1]);
  const sequences = renders.flatMap(r => r[2]);
  const shown = sequences.length;
  const made = shown ? Math.max(...sequences) - Math.min(...sequences) + 1 : 0;
  const p99 = pct(latencies, 0.99);

  const cpuSeconds = (cpu1.at - cpu0.at) / 1000;
  const used = Object.fromEntries(['fleet', 'dashboard', 'browser', 'probe', 'busy'].map(k => [k, 100 * (cpu1[k] - cpu0[k]) / cpuSeconds]));
  used.others = Math.max(0, used.busy - used.fleet - used.dashboard - used.browser - used.probe);
  const core = key => `${fixed(used[key])} %`;
  const cores = availableParallelism();
  const saturated = used.busy > 90 * cores;

  // Flat: what the dashboard keeps after the window is what it kept before, within 5 MiB or 10 %.
  const heapGrowth = heapAfter - heapBefore;
  const flat = heapGrowth <= Math.max(5, 0.1 * heapBefore);
  const busy = saturated ? `; the machine was saturated (${core('busy')} of ${cores * 100} %, other processes ${core('others')})` : '';
  const limits = {
    fanIn: offered < target.fanIn * 1.05 ? `the fleet offered only ${fixed(offered)} events/s (fleet ${core('fleet')} of a core)${busy}`
      : proxyDropped > 0 ? `the dashboard read too slowly: the proxies dropped ${fixed(proxyDropped)} events/s (dashboard ${core('dashboard')} of a core)${busy}`
      : `the dashboard (${core('dashboard')} of a core)${busy}`,
    page: sessionDropped > 0 ? `the page's reader fell behind: the session buffer dropped ${fixed(sessionDropped)} events/s${busy}`
      : `what reached the dashboard (${fixed(fanIn)} events/s)`,
    // A render waits until the browser showed the last one (ShownRender): fewer than the throttle's 10 a second means
    // the browser, or the way to it, is what is slow.
    p99: renders.length / elapsed < 8 ? `the browser showed only ${fixed(renders.length / elapsed, 1)} renders/s (chromium ${core('browser')} of a core)${busy}`
      : sessionDropped > 0 ? `the page's reader fell behind (its session buffer dropped ${fixed(sessionDropped)} events/s)${busy}`
      : `the render interval (100 ms) and the dashboard (${core('dashboard')} of a core)${busy}`,
    memory: `the live heap grew ${fixed(heapGrowth, 1)} MiB`,
  };
  const rows = [
    ['events/s into the dashboard', fixed(fanIn), `>= ${target.fanIn}`, fanIn >= target.fanIn, limits.fanIn],
    ['events/s to one page', fixed(toPage), `>= ${target.page}`, toPage >= target.page, limits.page],
    ['p99 proxy-to-screen (ms)', fixed(p99), `<= ${target.p99}`, p99 <= target.p99, limits.p99],
    [`live heap before -> after (MiB)`, `${fixed(heapBefore, 1)} -> ${fixed(heapAfter, 1)}`, 'flat', flat, limits.memory],
  ];
  const widths = [0, 1, 2, 3].map(i => Math.max(...rows.map(r => String(i === 3 ? 'NOT MET' : r[i]).length), ['figure', 'measured', 'target', 'met'][i].length));
  const line = cells => cells.map((c, i) => i < 4 ? String(c).padEnd(widths[i]) : c).join('  ').trimEnd();
  console.log(`\nmeasured over ${fixed(elapsed, 1)} s; the page said: ${page1.text}`);
  console.log(line(['figure', 'measured', 'target', 'met', 'what limits it']));
  for (const [figure, measured, goal, met, limit] of rows) console.log(line([figure, measured, goal, met ? 'met' : 'NOT MET', met ? '' : limit]));
  // The baselines of the same run: what the proxies offered for the dashboard, what the dashboard received for the page.
  console.log(`\nevents/s offered by the proxies ${fixed(offered)} (3 per request a tapped proxy saw): the dashboard received ` +
    `${fixed(100 * fanIn / offered)} % of them, the page got ${fixed(100 * toPage / fanIn)} % of those; dropped by the proxies ` +
    `${fixed(proxyDropped)}/s, by the dashboard's session buffer ${fixed(sessionDropped)}/s`);
  console.log(`rows: ${shown} shown of ${made} made (at most 100 on screen: the others were replaced before a render showed them), ` +
    `in ${renders.length} renders (${fixed(renders.length / elapsed, 1)}/s)`);
  console.log(`proxy-to-screen over ${latencies.length} rows (those shown during the heap probe's pause left out): p50 ${fixed(pct(latencies, 0.5))} ms, ` +
    `p95 ${fixed(pct(latencies, 0.95))} ms, p99 ${fixed(p99)} ms, max ${fixed(Math.max(...latencies))} ms`);
  console.log(`dashboard live heap: ${fixed(heapBefore, 1)} MiB before (least of three), ${heaps.map(([t, h]) => `${fixed(h, 1)} at ${t} s`).join(', ')}, ` +
    `${fixed(heapAfter, 1)} MiB after; RSS: ${fixed(rss[0])} MiB at the start, ${fixed(Math.min(...rss))}-${fixed(Math.max(...rss))} MiB, ${fixed(rss.at(-1))} MiB at the end (1 s samples)`);
  console.log(`dashboard CPU per event received: ${fixed(1e6 * (cpu1.dashboard - cpu0.dashboard) / (fanIn * elapsed))} µs`);
  console.log(`CPU (% of one core): fleet ${core('fleet')}, dashboard ${core('dashboard')}, chromium ${core('browser')}, probe ${core('probe')}, ` +
    `other processes ${core('others')}; the machine was busy ${core('busy')} of ${cores * 100} %`);
}

// Drives headless Debian Chromium against a running dashboard for bench/graph.sh.
// Usage: node graph-probe.mjs DASHBOARD_URL PROMETHEUS_URL DASHBOARD_LOG
//
// The graph page's hooks: #service-graph carries data-draws (draws and refreshes applied so far) and data-nodes
// (visible nodes); window.dashboardGraph.applyMs holds the milliseconds each draw or update took in the page.
import { chromium } from 'playwright-core';
import { readFileSync, statSync } from 'node:fs';

const [dashboard, prometheus, dashboardLog] = process.argv.slice(2);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const pct = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.max(0, Math.ceil(q * s.length) - 1)] : NaN; };
const refreshMs = 2000;
async function queriesServed() {
  const text = await (await fetch(`${prometheus}/metrics`)).text();
  return text.split('\n').filter(l => l.startsWith('prometheus_http_requests_total{') && /handler="\/api\/v1\/query(_range)?"/.test(l))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

// Recorded inside the page from the start of navigation: when each draw landed (performance.now() and the wall clock,
// since every viewer refreshes on the clock's multiples of the refresh interval), and the longest gap between frames.
const observer = () => {
  window.__draws = [];
  window.__longestFrame = 0;
  let last = 0;
  const frame = t => { if (last && window.__measureFrames) window.__longestFrame = Math.max(window.__longestFrame, t - last); last = t; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  // Polled, not observed: Blazor replaces the prerendered element when the circuit starts.
  let seen = 0;
  setInterval(() => {
    const draws = Number(document.getElementById('service-graph')?.getAttribute('data-draws') || 0);
    if (draws > seen) { seen = draws; window.__draws.push({ at: performance.now(), wall: Date.now() }); }
  }, 5);
};

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
const drawn = page => page.waitForFunction(() => window.__draws && window.__draws.length > 0, null, { timeout: 120000 });

for (const [name, path, loadsWanted] of [['workload graph', 'graph', 9], ['pod graph', 'graph?pods=true', 5]]) {
  const loads = [];
  let nodes = 0, edges = 0;
  for (let i = 0; i < loadsWanted; i++) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.addInitScript(observer);
    await page.goto(`${dashboard}/${path}`);
    await drawn(page);
    loads.push(Math.round(await page.evaluate(() => window.__draws[0].at)));
    nodes = Number(await page.locator('#service-graph').getAttribute('data-nodes'));
    await page.close();
  }
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.addInitScript(observer);
  await page.goto(`${dashboard}/${path}`);
  await drawn(page);
  await sleep(3000);
  const logFrom = statSync(dashboardLog).size;
  const before = await queriesServed();
  await page.evaluate(() => { window.__measureFrames = true; window.__draws = []; window.dashboardGraph.applyMs.length = 0; });
  await sleep(60000);
  const queries = (await queriesServed()) - before;
  const { draws, applyMs, longestFrame } = await page.evaluate(() => ({ draws: window.__draws, applyMs: [...window.dashboardGraph.applyMs], longestFrame: window.__longestFrame }));
  const builds = [...readFileSync(dashboardLog).subarray(logFrom).toString().matchAll(/graph of (\d+) nodes and (\d+) edges over 1m \(pods: (True|False)\) built in ([\d.]+) ms/g)]
    .filter(m => (m[3] === 'True') === path.includes('pods')).map(m => { edges = Number(m[2]); return Number(m[4]); });
  // A refresh starts on the clock's multiple of the refresh interval and ends when its update is drawn.
  const refreshes = draws.map(d => d.wall % refreshMs);
  await page.close();
  const cold = loads.shift();
  console.log(`${name}: ${nodes} nodes drawn (${edges} edges in the mesh); first drawn graph: cold ${cold} ms, then p50 ${pct(loads, 0.5)} ms, p95 ${pct(loads, 0.95)} ms (${loads.length} loads)`);
  console.log(`  ${queries} Prometheus queries in 60 s = ${(queries / (60000 / refreshMs)).toFixed(1)} per ${refreshMs / 1000} s refresh; ` +
    `refresh time (tick to drawn) p50 ${Math.round(pct(refreshes, 0.5))} ms, p95 ${Math.round(pct(refreshes, 0.95))} ms over ${refreshes.length} refreshes; ` +
    `server build p50 ${Math.round(pct(builds, 0.5))} ms, p95 ${Math.round(pct(builds, 0.95))} ms; page update p50 ${Math.round(pct(applyMs, 0.5))} ms, p95 ${Math.round(pct(applyMs, 0.95))} ms; ` +
    `longest frame ${Math.round(longestFrame)} ms`);
}
await browser.close();

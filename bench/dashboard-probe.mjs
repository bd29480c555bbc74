// Drives headless Debian Chromium against a running dashboard for bench/dashboard.sh.
// Usage: node dashboard-probe.mjs DASHBOARD_URL PROMETHEUS_URL DASHBOARD_PID HEAP_PROBE_FILE DASHBOARD_LOG
import { chromium } from 'playwright-core';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';

const [dashboard, prometheus, pid, heapProbe, dashboardLog] = process.argv.slice(2);
// The live managed heap after full compacting collections, from the startup hook bench/heap-probe loads into the
// dashboard: what circuits keep, without the garbage and the GC's spare room that RSS also counts.
const liveHeapMiB = async () => {
  rmSync(heapProbe, { force: true });
  writeFileSync(`${heapProbe}.request`, '');
  for (let waited = 0; !existsSync(heapProbe); waited += 50) {
    if (waited > 60000) throw new Error('the heap probe did not answer within 60 s (is DOTNET_STARTUP_HOOKS loaded?)');
    await sleep(50);
  }
  return Number(readFileSync(heapProbe, 'utf8')) / 1048576;
};
// The least of three: pooled buffers and in-flight Prometheus answers (megabytes for 1,000 pods) come and go
// between measurements; what the circuits keep is there in every one.
const steadyHeapMiB = async () => { const heaps = []; for (let i = 0; i < 3; i++) { heaps.push(await liveHeapMiB()); await sleep(1000); } return Math.min(...heaps); };
const sleep = ms => new Promise(r => setTimeout(r, ms));
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
async function queriesServed() {
  const text = await (await fetch(`${prometheus}/metrics`)).text();
  return text.split('\n').filter(l => l.startsWith('prometheus_http_requests_total{') && l.includes('handler="/api/v1/query"'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}
const pct = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.max(0, Math.ceil(q * s.length) - 1)]; };

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
// Time to numbers, from the start of navigation: the first paint when the prerendered HTML carries the numbers,
// else the moment they arrive. Recorded inside the page, so the probe's own polling adds nothing.
const numbersObserver = () => {
  const seen = () => [...document.querySelectorAll('td.success')].some(td => /%/.test(td.textContent));
  new MutationObserver((_, observer) => { if (seen()) { window.__numbersAt = performance.now(); observer.disconnect(); } })
    .observe(document, { childList: true, subtree: true, characterData: true });
};
const timeToNumbers = page => page.evaluate(() => new Promise(resolve => {
  const done = () => { const fcp = performance.getEntriesByName('first-contentful-paint')[0]; if (fcp && window.__numbersAt) { resolve(Math.max(fcp.startTime, window.__numbersAt)); return true; } return false; };
  if (!done()) { const timer = setInterval(() => done() && clearInterval(timer), 20); }
}));
const ready = page => page.waitForFunction(() => [...document.querySelectorAll('td.success')].some(td => /%/.test(td.textContent)), null, { timeout: 60000 });

for (const [name, path] of [['deployments table (100+ rows)', 'namespaces/_all/deployments'], ['pods table (1000+ rows)', 'namespaces/_all/pods']]) {
  const loads = [];
  // The first load of a scope is cold (nobody has asked Prometheus for it yet); the rest find the shared cache.
  for (let i = 0; i < 9; i++) {
    const page = await browser.newPage();
    await page.addInitScript(numbersObserver);
    await page.goto(`${dashboard}/${path}`);
    await ready(page);
    loads.push(Math.round(await timeToNumbers(page)));
    await page.close();
  }
  const page = await browser.newPage();
  await page.goto(`${dashboard}/${path}`);
  await ready(page);
  // Long tables render only the rows in view: the panel's caption carries the count.
  const rows = Number(await page.locator('.row-count').first().getAttribute('data-rows'));
  // Steady state with one viewer: queries per refresh, and the server's time to load the table on each refresh
  // (its queries through the shared cache, merged with the inventory), logged by StatTableService.
  const logFrom = statSync(dashboardLog).size;
  const before = await queriesServed();
  await sleep(60000);
  const queries = (await queriesServed()) - before;
  const refreshes = [...readFileSync(dashboardLog).subarray(logFrom).toString().matchAll(/Loaded (?:deployments|pods) in all namespaces over 1m: \d+ rows in ([\d.]+) ms/g)]
    .map(m => Number(m[1]));
  await page.close();
  const cold = loads.shift();
  console.log(`${name}: ${rows} rows; time to numbers on load: cold ${cold} ms, then p50 ${pct(loads, 0.5)} ms, p95 ${pct(loads, 0.95)} ms (8 loads); ` +
    `${queries} Prometheus queries in 60 s = ${(queries / 30).toFixed(1)} per 2 s refresh with one viewer; ` +
    `refresh time p50 ${Math.round(pct(refreshes, 0.5))} ms, p95 ${Math.round(pct(refreshes, 0.95))} ms, max ${Math.round(Math.max(...refreshes))} ms over ${refreshes.length} refreshes`);
}

// Memory per circuit: the live heap with 1 and with 21 open 1000-row pages (21, so that buffers pooled or in flight
// at the moment of a dump weigh little against what twenty circuits keep).
const pages = [];
const open = async () => { const p = await browser.newPage(); await p.goto(`${dashboard}/namespaces/_all/pods`); await ready(p); pages.push(p); };
await open();
await sleep(5000);
const one = rssMiB(), heapOne = await steadyHeapMiB();
for (let i = 0; i < 20; i++) await open();
await sleep(5000);
const many = rssMiB(), heapMany = await steadyHeapMiB();
const before = await queriesServed();
await sleep(20000);
const shared = (await queriesServed()) - before;
console.log(`memory per circuit (1000-row pods page): live heap ${heapOne.toFixed(1)} MiB with 1 open, ${heapMany.toFixed(1)} MiB with 21: ` +
  `${((heapMany - heapOne) / 20).toFixed(2)} MiB per circuit; RSS ${one.toFixed(1)} -> ${many.toFixed(1)} MiB (${((many - one) / 20).toFixed(2)} MiB per circuit, ` +
  `garbage and GC headroom included); ${(shared / 10).toFixed(1)} queries per refresh with 21 viewers (shared cache)`);
await browser.close();

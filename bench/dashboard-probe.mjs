// Drives headless Debian Chromium against a running dashboard for bench/dashboard.sh.
// Usage: node dashboard-probe.mjs DASHBOARD_URL PROMETHEUS_URL DASHBOARD_PID DOTNET_GCDUMP DASHBOARD_LOG
import { chromium } from 'playwright-core';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const [dashboard, prometheus, pid, gcdump, dashboardLog] = process.argv.slice(2);
// The live managed heap after a full collection (dotnet-gcdump forces one): what circuits keep, without the garbage
// and the GC's spare room that RSS also counts.
const liveHeapMiB = () => {
  const file = `/tmp/dashboard-bench-${pid}.gcdump`;
  execFileSync(gcdump, ['collect', '-p', pid, '-o', file], { stdio: 'ignore' });
  const report = execFileSync(gcdump, ['report', file], { encoding: 'utf8' });
  return Number(/([\d,]+)\s+GC Heap bytes/.exec(report)[1].replaceAll(',', '')) / 1048576;
};
// The least of three dumps: pooled buffers and in-flight Prometheus answers (megabytes for 1,000 pods) come and go
// between dumps; what the circuits keep is there in every one.
const steadyHeapMiB = async () => { const dumps = []; for (let i = 0; i < 3; i++) { dumps.push(liveHeapMiB()); await sleep(1000); } return Math.min(...dumps); };
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
  const before = await queriesServed();
  await sleep(20000);
  const queries = (await queriesServed()) - before;
  await page.close();
  const cold = loads.shift();
  console.log(`${name}: ${rows} rows; time to numbers on load: cold ${cold} ms, then p50 ${pct(loads, 0.5)} ms, p95 ${pct(loads, 0.95)} ms (8 loads); ` +
    `${queries} Prometheus queries in 20 s = ${(queries / 10).toFixed(1)} per 2 s refresh with one viewer`);
}

// Refresh times are read from the log up to here: the heap dumps below pause the dashboard.
writeFileSync(`${dashboardLog}.refresh-end`, String(statSync(dashboardLog).size));

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

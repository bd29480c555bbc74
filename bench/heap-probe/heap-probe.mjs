// The client side of the startup hook in this folder (StartupHook.cs): asks the process it is loaded into for its
// live managed heap, after full compacting collections. Used by bench/tap-probe.mjs.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const sleep = ms => new Promise(r => setTimeout(r, ms));

/** The live heap in MiB of the process whose HEAP_PROBE_FILE is `file`; fails after 60 s without an answer. */
export async function liveHeapMiB(file) {
  rmSync(file, { force: true });
  writeFileSync(`${file}.request`, '');
  for (let waited = 0; !existsSync(file); waited += 50) {
    if (waited > 60000) throw new Error('the heap probe did not answer within 60 s (is DOTNET_STARTUP_HOOKS loaded?)');
    await sleep(50);
  }
  return Number(readFileSync(file, 'utf8')) / 1048576;
}

/**
 * The least of three live heaps a second apart: buffers in flight (events on their way, pooled arrays) come and go
 * between measurements, what the process keeps is there in every one.
 */
export async function steadyHeapMiB(file) {
  const heaps = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await sleep(1000);
    heaps.push(await liveHeapMiB(file));
  }
  return Math.min(...heaps);
}

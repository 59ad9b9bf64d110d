import { openCarrierPaths } from '../carriers/carrier-paths.js';
import { discoverHarnesses, selectHarnesses } from '../carriers/harnesses.js';

// Runs one carrier path in a loop for profiling:
//   node --cpu-prof --cpu-prof-dir=reports/profiles --import tsx profile/carrier-loop.ts "<carrier or label>" inbound 3 [8000]
// (a carrier found under packages/, or a harness label like "<carrier> mulaw/8k"; the last argument is
// the pipeline rate in Hz: 16000 by default, the harness's wire rate skips resampling)
const [carrier, path = 'inbound', seconds = '3', rate = '16000'] = process.argv.slice(2);
const all = await discoverHarnesses();
const chosen = carrier ? selectHarnesses(all, [carrier])[0] : all[0];
if (!chosen)
  throw new Error(`no harness matches ${carrier}; found: ${all.map((entry) => entry.label).join(', ')}`);
const paths = openCarrierPaths(chosen.label, chosen.harness, Number(rate));
if (typeof paths === 'string') throw new Error(paths);
const run = path === 'outbound' ? paths.outbound : paths.inbound;
const until = performance.now() + Number(seconds) * 1000;
let iterations = 0;
while (performance.now() < until) {
  run();
  iterations++;
}
console.log(`${chosen.label} ${path} @ ${rate} Hz: ${iterations} iterations of 50 frames in ${seconds} s`);

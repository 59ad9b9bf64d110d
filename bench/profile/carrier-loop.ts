import { openCarrierPaths } from '../carriers/carrier-paths.js';

// Runs one carrier path in a loop for profiling:
//   node --cpu-prof --cpu-prof-dir=reports/profiles --import tsx profile/carrier-loop.ts plivo inbound 3 [8000]
// (the last argument is the pipeline rate in Hz; 16000 by default, the carrier's wire rate skips resampling)
const [carrier = 'plivo', path = 'inbound', seconds = '3', rate = '16000'] = process.argv.slice(2);
const paths = await openCarrierPaths(carrier, Number(rate));
if (typeof paths === 'string') throw new Error(paths);
const run = path === 'outbound' ? paths.outbound : paths.inbound;
const until = performance.now() + Number(seconds) * 1000;
let iterations = 0;
while (performance.now() < until) {
  await run();
  iterations++;
}
console.log(`${carrier} ${path} @ ${rate} Hz: ${iterations} iterations of 50 frames in ${seconds} s`);

import { openCarrierPaths } from '../carriers/carrier-paths.js';

// Runs one carrier path in a loop for profiling:
//   node --cpu-prof --cpu-prof-dir=reports/profiles --import tsx profile/carrier-loop.ts plivo inbound 3
const [carrier = 'plivo', path = 'inbound', seconds = '3'] = process.argv.slice(2);
const paths = await openCarrierPaths(carrier);
if (typeof paths === 'string') throw new Error(paths);
const run = path === 'outbound' ? paths.outbound : paths.inbound;
const until = performance.now() + Number(seconds) * 1000;
let iterations = 0;
while (performance.now() < until) {
  await run();
  iterations++;
}
console.log(`${carrier} ${path}: ${iterations} iterations of 50 frames in ${seconds} s`);

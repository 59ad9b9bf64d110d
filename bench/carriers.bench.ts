import { formatCarrierTable, runCarrierBench } from './carriers/carrier-bench.js';
import { writeResultsSection } from './results-file.js';

// `pnpm --filter @callwire/bench carriers [-- --carrier <name>[,<name>] --time 120 --rounds 3]`
// Carriers are found by convention under packages/ (each harness of each carrier is measured).
function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}
const carrier = flag('--carrier');
const section = await runCarrierBench({
  carriers: carrier ? carrier.split(',') : undefined,
  timeMs: flag('--time') ? Number(flag('--time')) : undefined,
  rounds: flag('--rounds') ? Number(flag('--rounds')) : undefined,
});
console.log(
  `\nPer-frame cost of each carrier path vs its floor (20 ms frames, pipeline 16 kHz and the wire rate)\n`,
);
console.log(formatCarrierTable(section));
if (!process.argv.includes('--no-write')) await writeResultsSection('carriers', section);

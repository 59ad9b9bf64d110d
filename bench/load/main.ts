import { writeResultsSection } from '../results-file.js';
import { runLoadTest } from './load-test.js';
import { LOAD_USAGE, parseLoadOptions } from './options.js';

// `pnpm bench:load [-- --calls 100,300,1000 --seconds 5 --pipeline-rate 8000,16000,24000,48000]`
let options: ReturnType<typeof parseLoadOptions>;
try {
  options = parseLoadOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n${LOAD_USAGE}`);
  process.exit(2);
}
if (!options.ratesOnly) {
  const section = await runLoadTest({ ...options, pipelineRates: undefined });
  if (options.write) await writeResultsSection('load', section);
}
if (options.pipelineRates) {
  // The rate pass: the same client against echo-at-rate.mjs at each rate, smaller by default. The
  // bare ws echo already ran in the first pass; run it again only when the rate pass is alone.
  console.log(`\nload: rate pass, pipeline rates ${options.pipelineRates.join(', ')} Hz`);
  const section = await runLoadTest({
    ...options,
    calls: options.rateCalls ?? [Math.min(...options.calls)],
    baselineCalls: options.ratesOnly ? options.baselineCalls : 0,
  });
  // Under a key of its own: it does not replace the default server's figures.
  if (options.write) await writeResultsSection('loadPipelineRates', section);
}

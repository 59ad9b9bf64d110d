import { writeResultsSection } from '../results-file.js';
import { runLoadTest } from './load-test.js';
import { LOAD_USAGE, parseLoadOptions } from './options.js';

// `pnpm bench:load [-- --calls 100,300,1000 --seconds 5]`
let options: ReturnType<typeof parseLoadOptions>;
try {
  options = parseLoadOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n${LOAD_USAGE}`);
  process.exit(2);
}
const section = await runLoadTest(options);
// A `--pipeline-rate` run goes under a key of its own: it does not replace the default server's figures.
if (options.write) await writeResultsSection(options.pipelineRates ? 'loadPipelineRates' : 'load', section);

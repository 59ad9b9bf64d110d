// `callwire serve` with the discovered carriers plus the toy one, for tests that spawn it (through tsx).
import { discoverCarriers } from '../carriers.js';
import { runCli } from '../main.js';
import { toy } from './toy-carrier.js';

const code = await runCli(process.argv.slice(2), process.env, {
  carriers: [...(await discoverCarriers()), toy],
});
process.exitCode = code;
setImmediate(() => process.exit(code));

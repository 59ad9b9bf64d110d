#!/usr/bin/env node
import { runCli } from './main.js';

const code = await runCli(process.argv.slice(2), process.env);
process.exitCode = code;
// pino writes synchronously to stdout by default; give pending output a tick, then exit (even if a
// library left a keep-alive socket or timer behind).
setImmediate(() => process.exit(code));

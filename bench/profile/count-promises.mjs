// Preload for a server process (node --import): counts the promises it creates and writes the count
// to $COUNT_FILE when it stops. Two bench:load runs of different lengths give promises per echoed
// frame pair (the slope; call setup cancels out). See README.md, Performance.
import { createHook } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';

let promises = 0;
createHook({
  init(_id, type) {
    if (type === 'PROMISE') promises++;
  },
}).enable();
const write = () => writeFileSync(process.env.COUNT_FILE ?? 'promise-count.txt', String(promises));
process.on('exit', write);
process.on('SIGTERM', () => process.exit(0));

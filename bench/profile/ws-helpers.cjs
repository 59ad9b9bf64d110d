// What ws's optional native helpers would save per message (issue 20): unmask (inbound, client frames
// are masked), mask (client side only) and UTF-8 validation of a text message of SIZE bytes.
// Run from bench/: node profile/ws-helpers.cjs 340, then with bufferutil on NODE_PATH to compare.
const path = require('node:path');

const wsLib = path.join(path.dirname(require.resolve('ws/package.json')), 'lib');
const { unmask, mask } = require(path.join(wsLib, 'buffer-util.js'));
const { isValidUTF8 } = require(path.join(wsLib, 'validation.js'));

const size = Number(process.argv[2] ?? 340);
const buffer = Buffer.alloc(size, 97);
const output = Buffer.alloc(size + 14);
const key = Buffer.from([1, 2, 3, 4]);

/** Median of 5 rounds of 2 M calls, µs per call. */
function time(name, fn) {
  const calls = 2_000_000;
  for (let i = 0; i < 100_000; i++) fn();
  const rounds = [];
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    rounds.push(Number(process.hrtime.bigint() - start) / calls / 1000);
  }
  rounds.sort((a, b) => a - b);
  console.log(`${name}, ${size} B: ${rounds[2].toFixed(3)} µs`);
}

let native = false;
try {
  require.resolve('bufferutil');
  native = !process.env.WS_NO_BUFFER_UTIL;
} catch {}
console.log(
  `bufferutil loaded by ws: ${native}; UTF-8 check: ${require('node:buffer').isUtf8 ? "Node's buffer.isUtf8 (utf-8-validate never loaded)" : 'JS or utf-8-validate'}`,
);
time('unmask', () => unmask(buffer, key));
time('mask', () => mask(buffer, key, output, 0, size));
time('isValidUTF8', () => isValidUTF8(buffer));

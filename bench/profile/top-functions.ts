import { readFileSync } from 'node:fs';

// Prints the functions (or, with --by-package, the packages) with the most self time in .cpuprofile
// files, summed, idle time left out (node --cpu-prof with tsx writes one file per thread, so a
// directory's glob is fine):
//   tsx profile/top-functions.ts <file>.cpuprofile... [count] [--by-package]
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const byPackage = process.argv.includes('--by-package');
const args = process.argv.slice(2).filter((arg) => arg !== '--by-package');
const files = args.filter((arg) => arg.endsWith('.cpuprofile'));
const count = args.find((arg) => !arg.endsWith('.cpuprofile')) ?? '25';
if (files.length === 0) throw new Error('usage: top-functions.ts <file.cpuprofile>... [count]');
const nodes = files.flatMap(
  (file) => (JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] }).nodes,
);
const selfHits = new Map<string, number>();
let total = 0;
for (const node of nodes) {
  if (node.callFrame.functionName === '(idle)') continue;
  const hits = node.hitCount ?? 0;
  total += hits;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules|packages)\//, '$1/')}:${lineNumber + 1}` : '';
  const pkg =
    /packages\/([^/]+)\//.exec(url)?.[1] ??
    /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
    (url.startsWith('node:') ? 'node internals' : url ? url : functionName || '(native)');
  const key = byPackage ? pkg : `${functionName || '(anonymous)'} ${where}`;
  selfHits.set(key, (selfHits.get(key) ?? 0) + hits);
}
const rows = [...selfHits.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(count));
for (const [key, hits] of rows) console.log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}`);

import { readFile, writeFile } from 'node:fs/promises';

const resultsUrl = new URL('./results.json', import.meta.url);

/** Sets `section` in bench/results.json, keeping the other sections. */
export async function writeResultsSection(section: string, value: unknown): Promise<void> {
  let results: Record<string, unknown> = {};
  try {
    results = JSON.parse(await readFile(resultsUrl, 'utf8'));
  } catch {
    // No file yet, or a broken one: start over.
  }
  results[section] = value;
  await writeFile(resultsUrl, `${JSON.stringify(results, null, 2)}\n`);
}

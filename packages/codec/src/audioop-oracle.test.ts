import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { alawDecode, alawEncode } from './alaw.js';
import { mulawDecode, mulawEncode } from './mulaw.js';
import { ituUlawCompress } from './test-support/itu-g711.js';

// Python's audioop (deprecated, removed in 3.13) is a second, outside opinion on G.711.
const script = `
import audioop, base64, struct, sys
samples = struct.pack('<65536h', *range(-32768, 32768))
codes = bytes(range(256))
for data in (audioop.lin2ulaw(samples, 2), audioop.lin2alaw(samples, 2),
             audioop.ulaw2lin(codes, 2), audioop.alaw2lin(codes, 2)):
    print(base64.b64encode(data).decode())
`;
const python = spawnSync('python3', ['-W', 'ignore', '-c', script], { encoding: 'utf8', timeout: 20_000 });
const lines = python.status === 0 ? python.stdout.trim().split('\n') : [];
const skipReason = lines.length === 4 ? undefined : 'python3 with the audioop module is not available';
const everySample = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
const everyCode = Uint8Array.from({ length: 256 }, (_, i) => i);

function decoded(line: string | undefined): Uint8Array {
  return Uint8Array.from(Buffer.from(line ?? '', 'base64'));
}

function samplesOf(line: string | undefined): number[] {
  const bytes = decoded(line);
  return Array.from(
    { length: bytes.length / 2 },
    (_, i) => ((bytes[2 * i]! | (bytes[2 * i + 1]! << 8)) << 16) >> 16,
  );
}

describe.skipIf(skipReason !== undefined)(
  `Python audioop as an oracle${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    it('encodes mu-law differently on exactly 508 inputs: the 4 samples at each of the 127 negative thresholds', () => {
      const theirs = decoded(lines[0]);
      const ours = mulawEncode(everySample);
      const differing = everySample.filter((_, i) => ours[i] !== theirs[i]);
      expect(differing.length).toBe(508);
      // audioop negates the 14-bit magnitude (x >> 2) instead of taking its one's complement,
      // so its negative thresholds sit one 14-bit step (4 samples) off G.711's.
      const thresholds = everySample.filter(
        (x) => x < 0 && x > -32768 && ituUlawCompress(x) !== ituUlawCompress(x - 1),
      );
      expect(Array.from(differing)).toEqual(Array.from(thresholds).flatMap((x) => [x, x + 1, x + 2, x + 3]));
    });

    it('encodes A-law identically for all 65,536 inputs', () => {
      const theirs = decoded(lines[1]);
      const ours = alawEncode(everySample);
      expect(ours.filter((code, i) => code !== theirs[i]).length).toBe(0);
    });

    it('decodes all 256 mu-law and A-law codes identically', () => {
      expect(Array.from(mulawDecode(everyCode))).toEqual(samplesOf(lines[2]));
      expect(Array.from(alawDecode(everyCode))).toEqual(samplesOf(lines[3]));
    });
  },
);

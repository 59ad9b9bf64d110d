import { fileURLToPath } from 'node:url';
import { discoverCarriers } from '@callwire/testing';
import { describe, expect, it } from 'vitest';

// `callwire serve` tells carriers apart on one port by each socket's opening message: every carrier's
// opening (from its own harness, the one source of its wire fixtures) must be recognised by that carrier
// and refused by every other. The carriers are found by convention, so a new one joins this matrix alone.

const packagesDirectory = fileURLToPath(new URL('../../', import.meta.url));
const carriers = await discoverCarriers(packagesDirectory);

function parsed(message: string | Uint8Array): unknown {
  if (typeof message !== 'string') return message;
  try {
    return JSON.parse(message);
  } catch {
    return message;
  }
}

describe('detection matrix', () => {
  it('finds every carrier package of the repository', () => {
    expect(carriers.map((carrier) => carrier.name)).toEqual([
      'asterisk',
      'audiosocket',
      'exotel',
      'genesys',
      'jambonz',
      'plivo',
      'telnyx',
      'twilio',
      'vonage',
    ]);
  });

  for (const carrier of carriers) {
    for (const harness of carrier.harnesses) {
      const label = `${carrier.name} (${harness.wireCodec}, ${harness.wireSampleRate} Hz)`;
      it(`${label}: its opening is recognised by ${carrier.name} alone`, () => {
        const call = harness.call({
          callId: 'call-1',
          streamId: 'stream-1',
          sampleRate: 16000,
          autoHangUp: false,
        });
        const opening = (harness.wire.start?.(call) ?? []).map(parsed);
        expect(opening.length, `${carrier.name}'s harness has no opening message`).toBeGreaterThan(0);
        const recognisedBy = carriers
          .map((other) => other.harnesses[0]?.plugin)
          .filter((plugin) =>
            opening.some((message) => {
              const detection = plugin?.detect?.(message);
              return detection !== undefined && detection !== 'need-more';
            }),
          )
          .map((plugin) => plugin?.name);
        expect(recognisedBy).toEqual([carrier.name]);
      });
    }
  }
});

import { autoHangUpParam, defineCarrier, pipelineSampleRateParam } from '@callwire/kit';
import { z } from 'zod/v4';

// A second carrier for the CLI's tests, declared on the kit: JSON text with `kind`, base64 L16 audio at
// 8 kHz both ways, and a REST-less hang-up that needs `token` (TOY_TOKEN): it records the call id in
// `toyHangUps` and prints `{"toyHungUp":"<call id>"}` on stdout (what a spawned server's test reads).

const Hello = z.object({ kind: z.literal('hello'), call: z.string().min(1), stream: z.string().min(1) });
const Audio = z.object({ kind: z.literal('audio'), stream: z.string(), payload: z.string().min(1) });
const Inbound = z.discriminatedUnion('kind', [Hello, Audio]);

/** Call ids the toy carrier hung up, in this process. */
export const toyHangUps: string[] = [];

/** The toy carrier: `{ kind: 'hello', call, stream }` opens a call, `{ kind: 'audio', payload }` carries it. */
export const toy = defineCarrier({
  name: 'toy',
  options: z.strictObject({ token: z.string().optional() }),
  params: z.strictObject({ sampleRate: pipelineSampleRateParam, autoHangUp: autoHangUpParam }),
  environment: { token: 'TOY_TOKEN' },
  hangUp: {
    control: () => ({
      carrier: 'toy',
      async hangUp(callId) {
        toyHangUps.push(callId);
        process.stdout.write(`${JSON.stringify({ toyHungUp: callId })}\n`);
        return { outcome: 'ended' };
      },
    }),
    needs: (options) => ({ token: options.token }),
  },
  wireFormat: () => ({ encoding: 'l16', sampleRate: 8000 }),
  detect(message) {
    const hello = Hello.safeParse(message);
    return hello.success ? { streamId: hello.data.stream, callId: hello.data.call } : undefined;
  },
  inbound: {
    events: new Set(['hello', 'audio']),
    eventKey: 'kind',
    schema: Inbound,
    streamIdOf: (event) => event.stream,
    toFrames: (event, call) => (event.kind === 'audio' ? call.audioFromBase64(event.payload) : undefined),
  },
  outbound: () => ({
    media: (bytes) => JSON.stringify({ kind: 'audio', payload: bytes.toString('base64') }),
  }),
});

/** The toy carrier's opening and one 20 ms audio message (160 samples of L16 at 8 kHz). */
export function toyMessages(callId: string, streamId: string): { hello: string; audio: string } {
  const samples = Buffer.alloc(320);
  for (let i = 0; i < 160; i++)
    samples.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)), i * 2);
  return {
    hello: JSON.stringify({ kind: 'hello', call: callId, stream: streamId }),
    audio: JSON.stringify({ kind: 'audio', stream: streamId, payload: samples.toString('base64') }),
  };
}

import {
  createCallwireContainer,
  type Frame,
  interruptionFrame,
  type Logger,
  outputAudioFrame,
  registerCarrier,
} from '@callwire/core';
import { plivo } from '@callwire/plivo';
import { type Call, type CallServer, createCallServer } from '@callwire/server';
import alawmulaw from 'alawmulaw';
import { afterEach, describe, expect, it } from 'vitest';
import { genesys } from './carrier.js';
import { genesysOutputVariables, genesysPause, genesysResume } from './control-messages.js';
import { GENESYS_OFFERS } from './testing/client-messages.js';
import { type FakeGenesysClient, openFakeGenesysClient } from './testing/fake-client.js';
import { GENESYS_TEST_API_KEY, GENESYS_TEST_CLIENT_SECRET } from './testing/harness.js';
import { signGenesysUpgrade } from './testing/sign.js';

let server: CallServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waitedMs = 0; !condition(); waitedMs += 10) {
    if (waitedMs > 3000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Started {
  readonly port: number;
  readonly frames: Frame[];
  readonly calls: Call[];
}

async function start(
  handle: (call: Call, frames: Frame[]) => Promise<void>,
  options: {
    clientSecret?: string | undefined;
    streamAuth?: 'off';
    callParams?: Record<string, unknown>;
  } = {},
): Promise<Started> {
  const container = createCallwireContainer({ logger: quiet });
  registerCarrier(container, plivo, {});
  registerCarrier(container, genesys, {
    apiKey: GENESYS_TEST_API_KEY,
    // A test client signs its upgrade with the test secret unless a test says there is none.
    ...('clientSecret' in options
      ? options.clientSecret
        ? { clientSecret: options.clientSecret }
        : {}
      : { clientSecret: GENESYS_TEST_CLIENT_SECRET }),
  });
  const frames: Frame[] = [];
  const calls: Call[] = [];
  server = createCallServer({
    container,
    logger: quiet,
    pipelineSampleRate: 8000,
    ...(options.streamAuth ? { streamAuth: options.streamAuth } : {}),
    ...(options.callParams ? { callParams: () => options.callParams } : {}),
    handler: async (call) => {
      calls.push(call);
      await handle(call, frames);
    },
  });
  const port = await server.listen(0, '127.0.0.1');
  return { port, frames, calls };
}

/** A fake Genesys client whose upgrade is signed as Genesys signs it (the server admits nothing else). */
function openSigned(port: number): Promise<FakeGenesysClient> {
  const url = `ws://127.0.0.1:${port}/stream`;
  const headers = signGenesysUpgrade({
    url,
    apiKey: GENESYS_TEST_API_KEY,
    clientSecret: GENESYS_TEST_CLIENT_SECRET,
    organizationId: 'd7934305-0972-4844-938e-9060eef73d05',
    sessionId: '30b0e395-84d3-4570-ac13-9a62d8f514c0',
  });
  return openFakeGenesysClient(url, { headers });
}

const tone = (samples: number, period = 17) =>
  Int16Array.from({ length: samples }, (_, index) =>
    Math.round(6000 * Math.sin((2 * Math.PI * index) / period)),
  );

/** Every text message the server sent is numbered 1, 2, 3… */
function expectNumbered(client: FakeGenesysClient): void {
  expect(client.messages.map((message) => message.seq)).toEqual(client.messages.map((_, index) => index + 1));
  for (const message of client.messages) expect(message.id).toBe(client.sessionId);
}

describe('a Genesys Audio Connector session through @callwire/server', () => {
  it('negotiates mono PCMU, answers ping and update while the handler is busy, carries audio both ways, DTMF, barge-in, pause/resume, and ends with disconnect and output variables', async () => {
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const reply = tone(2400);
    const { port, frames, calls } = await start(async (call, seen) => {
      await gate;
      for await (const frame of call.frames) {
        seen.push(frame);
        if (frame.type !== 'input-dtmf') continue;
        if (frame.digit === '1') await call.send(outputAudioFrame(reply, 8000));
        if (frame.digit === '2') await call.send(interruptionFrame());
        if (frame.digit === '3') await call.send(genesysPause());
        if (frame.digit === '4') await call.send(genesysResume());
        if (frame.digit === '9') {
          await call.send(genesysOutputVariables({ intent: 'billing', transfer: 'yes' }));
          await call.send(genesysOutputVariables({ transfer: 'no' }));
          await call.hangUp();
        }
      }
    });
    const client = await openSigned(port);
    client.open({
      conversationId: 'c0f0e1d2-0000-4000-8000-000000000001',
      metadata: {
        from: '+13175550100',
        to: '+13175550199',
        customParameters: { tenant: 'acme' },
        raw: undefined,
      },
    });
    const opened = await client.next('opened');
    expect(opened.parameters).toEqual({ media: [GENESYS_OFFERS.monoPcmu[0]] });
    expect(opened.clientseq).toBe(1);

    // The handler is parked on `gate`: the protocol replies must not wait for it.
    client.send('ping', { rtt: 'PT0.05S' });
    const pong = await client.next('pong');
    expect(pong.clientseq).toBe(2);
    client.send('update', { language: 'fr-FR' });
    await client.next('updated');
    openGate();

    const caller = tone(1600, 23);
    const wire = Uint8Array.from(alawmulaw.mulaw.encode(caller));
    client.sendAudio(wire);
    client.send('paused');
    client.send('resumed', { start: 'PT0.2S', discarded: 'PT1.5S' });
    client.send('discarded', { start: 'PT1.7S', discarded: 'PT0.1S' });
    client.send('error', { code: 429, message: 'Too many requests', retryAfter: 'PT2S' });
    client.send('dtmf', { digit: '1' });
    await until(() => client.received.some((message) => message.binary), 'outbound audio');
    client.send('dtmf', { digit: '2' });
    const bargeIn = await client.next('event');
    expect(bargeIn.parameters).toEqual({ entities: [{ type: 'barge_in', data: {} }] });
    client.send('dtmf', { digit: '3' });
    await client.next('pause');
    client.send('dtmf', { digit: '4' });
    await client.next('resume');
    client.send('dtmf', { digit: '9' });
    const disconnect = await client.next('disconnect');
    await client.closed;

    expect(disconnect.parameters).toEqual({
      reason: 'completed',
      outputVariables: { intent: 'billing', transfer: 'no' },
    });
    expectNumbered(client);
    expect(client.messages.map((message) => message.type)).toEqual([
      'opened',
      'pong',
      'updated',
      'event',
      'pause',
      'resume',
      'disconnect',
    ]);

    const call = calls[0];
    expect(call?.carrier).toBe('genesys');
    expect(call?.streamId).toBe(client.sessionId);
    expect(call?.callId).toBe('c0f0e1d2-0000-4000-8000-000000000001');
    expect(call?.info.from).toBe('+13175550100');
    expect(call?.info.to).toBe('+13175550199');
    expect(call?.info.customParameters).toEqual({ tenant: 'acme' });
    const heard = frames.filter((frame) => frame.type === 'input-audio');
    expect(heard.flatMap((frame) => Array.from(frame.audio))).toEqual(
      Array.from(alawmulaw.mulaw.decode(wire)),
    );
    expect(frames.filter((frame) => frame.type === 'input-dtmf').map((frame) => frame.digit)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '9',
    ]);
    // 2,400 samples of reply: one whole 1,600-byte message; the rest was held and dropped by the barge-in.
    const audioOut = client.received.filter((message) => message.binary);
    expect(audioOut.map((message) => message.bytes.length)).toEqual([1600]);
    expect(Array.from(alawmulaw.mulaw.decode(audioOut[0]!.bytes))).toEqual(
      Array.from(alawmulaw.mulaw.decode(alawmulaw.mulaw.encode(reply.subarray(0, 1600)))),
    );
  });

  it("answers Genesys' close with closed and ends the handler's frames", async () => {
    const { port, frames } = await start(async (call, seen) => {
      for await (const frame of call.frames) seen.push(frame);
    });
    const client = await openSigned(port);
    client.open();
    await client.next('opened');
    client.send('close', { reason: 'end' });
    const closed = await client.next('closed');
    await client.closed;
    expect(closed.parameters).toEqual({});
    expect(closed.clientseq).toBe(2);
    expect(client.messages.map((message) => message.type)).toEqual(['opened', 'closed']);
    expect(frames.at(-1)?.type).toBe('end');
  });

  it('picks the external channel of a stereo offer (channel 0), or both channels on request', async () => {
    const stereoOnly = [{ type: 'audio', format: 'PCMU', channels: ['internal', 'external'], rate: 8000 }];
    const external = tone(320, 11);
    const internal = tone(320, 29);
    const interleaved = new Uint8Array(640);
    const externalWire = alawmulaw.mulaw.encode(external);
    const internalWire = alawmulaw.mulaw.encode(internal);
    for (let index = 0; index < 320; index++) {
      interleaved[index * 2] = internalWire[index]!;
      interleaved[index * 2 + 1] = externalWire[index]!;
    }
    for (const inboundChannels of ['external', 'both'] as const) {
      const { port, frames } = await start(
        async (call, seen) => {
          for await (const frame of call.frames) seen.push(frame);
        },
        { callParams: { inboundChannels } },
      );
      const client = await openSigned(port);
      client.open({ media: stereoOnly });
      const opened = await client.next('opened');
      expect(opened.parameters.media).toEqual(stereoOnly);
      client.sendAudio(interleaved, 16000);
      await until(() => frames.some((frame) => frame.type === 'input-audio'), 'caller audio');
      const [audio] = frames.filter((frame) => frame.type === 'input-audio');
      const decodedExternal = Array.from(alawmulaw.mulaw.decode(externalWire));
      const decodedInternal = Array.from(alawmulaw.mulaw.decode(internalWire));
      if (inboundChannels === 'external') {
        expect(audio?.numChannels).toBe(1);
        expect(Array.from(audio?.audio ?? [])).toEqual(decodedExternal);
      } else {
        expect(audio?.numChannels).toBe(2);
        const samples = Array.from(audio?.audio ?? []);
        expect(samples.filter((_, index) => index % 2 === 0)).toEqual(decodedExternal);
        expect(samples.filter((_, index) => index % 2 === 1)).toEqual(decodedInternal);
      }
      client.close();
      await server?.close();
      server = undefined;
    }
  });

  it('prefers mono external from a stereo offer list, and L16 when asked', async () => {
    const { port } = await start(async () => {}, { callParams: { preferredFormat: 'L16' } });
    const client = await openSigned(port);
    client.open({
      media: [
        ...GENESYS_OFFERS.stereo,
        { type: 'audio', format: 'L16', channels: ['external'], rate: 8000 },
        { type: 'audio', format: 'opus', channels: ['external'], rate: 48000 },
      ],
    });
    const opened = await client.next('opened');
    expect(opened.parameters.media).toEqual([
      { type: 'audio', format: 'L16', channels: ['external'], rate: 8000 },
    ]);
  });
});

describe('Genesys protocol violations, answered with disconnect (reason error)', () => {
  async function violate(
    breakIt: (client: FakeGenesysClient) => void,
  ): Promise<{ info: string; client: FakeGenesysClient }> {
    const { port } = await start(async (call) => {
      for await (const _ of call.frames);
    });
    const client = await openSigned(port);
    client.open();
    await client.next('opened');
    breakIt(client);
    const disconnect = await client.next('disconnect');
    expect(disconnect.parameters.reason).toBe('error');
    // The session then waits for Genesys' close transaction.
    client.send('close', { reason: 'error' }, { seq: 99 });
    await client.next('closed');
    return { info: String(disconnect.parameters.info), client };
  }

  it('a seq that skips one', async () => {
    const { info } = await violate((client) => client.send('ping', {}, { seq: 5 }));
    expect(info).toMatch(/^Client Error: Invalid seq value/);
  });

  it('a seq that repeats', async () => {
    const { info } = await violate((client) => client.send('ping', {}, { seq: 1 }));
    expect(info).toMatch(/Invalid seq value/);
  });

  it('a serverseq ahead of what the server sent', async () => {
    const { info } = await violate((client) => client.send('ping', {}, { serverseq: 40 }));
    expect(info).toMatch(/Invalid serverseq/);
  });

  it('a wrong session id', async () => {
    const { info } = await violate((client) =>
      client.send('ping', {}, { id: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(info).toBe('Client Error: Session identifier mismatch');
  });

  it('a text message over 65,535 characters', async () => {
    const { info } = await violate((client) => client.send('update', { language: 'x'.repeat(65_600) }));
    expect(info).toMatch(/Text message too large/);
  });

  it('text that is not JSON, and an unknown message type', async () => {
    expect((await violate((client) => client.sendRaw('{"version":"2"'))).info).toMatch(/not valid JSON/);
    await server?.close();
    server = undefined;
    expect((await violate((client) => client.send('transfer', {}))).info).toMatch(
      /not a supported client message/,
    );
  });
});

describe("signed Genesys upgrades (streamAuth 'signed-upgrade')", () => {
  async function upgrade(port: number, headers: Record<string, string>): Promise<number | 'open'> {
    try {
      const client = await openFakeGenesysClient(`ws://127.0.0.1:${port}/stream`, { headers });
      client.close();
      return 'open';
    } catch (error) {
      const status = /Unexpected server response: (\d+)/.exec(String(error))?.[1];
      return status === undefined ? -1 : Number(status);
    }
  }

  it('refuses unsigned (401) and wrongly signed (403) upgrades, and accepts a valid signature', async () => {
    const { port } = await start(async () => {});
    const url = `ws://127.0.0.1:${port}/stream`;
    const signed = (secret: string) =>
      signGenesysUpgrade({
        url,
        apiKey: GENESYS_TEST_API_KEY,
        clientSecret: secret,
        organizationId: 'd7934305-0972-4844-938e-9060eef73d05',
        sessionId: '30b0e395-84d3-4570-ac13-9a62d8f514c0',
      });
    expect(await upgrade(port, {})).toBe(401);
    const { signature: _, 'signature-input': __, ...unsigned } = signed(GENESYS_TEST_CLIENT_SECRET);
    expect(await upgrade(port, unsigned)).toBe(401);
    expect(await upgrade(port, signed(Buffer.from('not the secret').toString('base64')))).toBe(403);
    expect(
      await upgrade(port, { ...signed(GENESYS_TEST_CLIENT_SECRET), 'audiohook-session-id': 'other' }),
    ).toBe(403);
    expect(await upgrade(port, signed(GENESYS_TEST_CLIENT_SECRET))).toBe('open');
  });

  it('refuses every upgrade while no client secret is configured, and accepts unsigned ones with stream auth off', async () => {
    const { port } = await start(async () => {}, { clientSecret: undefined });
    expect(await upgrade(port, {})).toBe(401);
    await server?.close();
    const off = await start(async () => {}, { clientSecret: undefined, streamAuth: 'off' });
    expect(await upgrade(off.port, {})).toBe('open');
  });
});

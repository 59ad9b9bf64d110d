import {
  createCallwireContainer,
  createWireSerializer,
  endFrame,
  outputAudioFrame,
  registerCarrier,
  startFrame,
  transportMessageFrame,
  type WireMessage,
} from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { describe, expect, it } from 'vitest';
import { detectGenesysCall, genesys } from './carrier.js';
import { genesysEvent } from './control-messages.js';
import { GENESYS_OFFERS, genesysClientMessage, genesysOpenParameters } from './testing/client-messages.js';

const SESSION = '30b0e395-84d3-4570-ac13-9a62d8f514c0';

function open(params: Record<string, unknown> = {}) {
  const logger = recordingLogger();
  const container = createCallwireContainer({ logger });
  registerCarrier(container, genesys, {});
  const serializer = createWireSerializer(container, 'genesys', {
    streamId: SESSION,
    params: { autoHangUp: false, ...params },
  });
  serializer.setup(startFrame({ audioInSampleRate: 8000 }));
  const replies: WireMessage[] = [];
  let seq = 0;
  const send = (type: string, parameters: Record<string, unknown> = {}) => {
    seq += 1;
    return serializer.deserialize(genesysClientMessage({ id: SESSION, seq }, type, parameters), (reply) =>
      replies.push(reply),
    );
  };
  const parsed = () => replies.map((reply) => JSON.parse(String(reply)));
  return { serializer, send, replies, parsed, logger };
}

describe('detectGenesysCall', () => {
  it('reads the session, conversation, organization and call.info from open', () => {
    const message = JSON.parse(
      genesysClientMessage(
        { id: SESSION, seq: 1 },
        'open',
        genesysOpenParameters({
          conversationId: 'conv-1',
          customConfig: { region: 'eu', nested: { no: 1 }, tenant: 'config' },
          metadata: { from: '+1', to: '+2', customParameters: { tenant: 'input' }, raw: undefined },
        }),
      ),
    );
    const detected = detectGenesysCall(message);
    expect(detected).toMatchObject({
      streamId: SESSION,
      callId: 'conv-1',
      params: { organizationId: 'd7934305-0972-4844-938e-9060eef73d05' },
      metadata: { from: '+1', to: '+2', customParameters: { region: 'eu', tenant: 'input' }, raw: message },
    });
  });

  it('recognises nothing else', () => {
    for (const other of [
      { event: 'start' },
      { type: 'open', version: '1' },
      { type: 'ping', version: '2' },
      { type: 'open', version: '2', id: SESSION, seq: 1, parameters: {} },
      'open',
      null,
      new Uint8Array(4),
    ]) {
      expect(detectGenesysCall(other)).toBeUndefined();
    }
  });
});

describe('the Genesys serializer', () => {
  it('refuses an open naming another organization than the signed upgrade (unauthorized)', () => {
    const call = open({ expectedOrganizationId: 'another-org' });
    call.send('open', genesysOpenParameters({ conversationId: 'c' }));
    expect(call.parsed()).toMatchObject([
      { type: 'disconnect', seq: 1, clientseq: 1, parameters: { reason: 'unauthorized' } },
    ]);
  });

  it('accepts an open naming the signed organization', () => {
    const call = open({ expectedOrganizationId: 'd7934305-0972-4844-938e-9060eef73d05' });
    call.send('open', genesysOpenParameters({ conversationId: 'c' }));
    expect(call.parsed().map((reply) => reply.type)).toEqual(['opened']);
  });

  it('answers an open with no usable format with empty media and a warning', () => {
    const call = open();
    call.send(
      'open',
      genesysOpenParameters({
        conversationId: 'c',
        media: [{ type: 'audio', format: 'opus', channels: ['external'], rate: 48000 }],
      }),
    );
    expect(call.parsed()[0].parameters).toEqual({ media: [] });
    expect(call.logger.at('warn')).toHaveLength(1);
  });

  it('a second open is a protocol error', () => {
    const call = open();
    call.send('open', genesysOpenParameters({ conversationId: 'c' }));
    call.send('open', genesysOpenParameters({ conversationId: 'c' }));
    expect(call.parsed().map((reply) => reply.type)).toEqual(['opened', 'disconnect']);
  });

  it('offers supportedLanguages when open asks and the call has some', () => {
    const call = open({ supportedLanguages: ['en-US', 'fr-FR'] });
    call.send('open', { ...genesysOpenParameters({ conversationId: 'c' }), supportedLanguages: true });
    expect(call.parsed()[0].parameters.supportedLanguages).toEqual(['en-US', 'fr-FR']);
  });

  it('sends L16 audio in fixed 3,200-byte messages after L16 was chosen, the last padded', () => {
    const call = open({ preferredFormat: 'L16' });
    call.send(
      'open',
      genesysOpenParameters({
        conversationId: 'c',
        media: GENESYS_OFFERS.stereo.concat([
          { type: 'audio', format: 'L16', channels: ['external'], rate: 8000 },
        ] as never),
      }),
    );
    const out = [
      ...call.serializer.serialize(outputAudioFrame(new Int16Array(2000).fill(1000), 8000)),
      ...call.serializer.serialize(endFrame()),
    ];
    const binary = out.filter((message) => typeof message !== 'string') as Uint8Array[];
    expect(binary.map((message) => message.byteLength)).toEqual([3200, 3200]);
    expect(Buffer.from(binary[1]!).readInt16LE(2 * 399)).toBe(1000);
    expect(Buffer.from(binary[1]!).readInt16LE(2 * 400)).toBe(0);
    const last = JSON.parse(String(out.at(-1)));
    expect(last).toMatchObject({
      type: 'disconnect',
      seq: 2,
      clientseq: 1,
      parameters: { reason: 'completed' },
    });
  });

  it('sends one disconnect however many times the call ends, and none after Genesys closed', () => {
    const call = open();
    call.send('open', genesysOpenParameters({ conversationId: 'c' }));
    expect(call.serializer.serialize(endFrame())).toHaveLength(1);
    expect(call.serializer.serialize(endFrame())).toEqual([]);
    const closedFirst = open();
    closedFirst.send('open', genesysOpenParameters({ conversationId: 'c' }));
    expect(closedFirst.send('close', { reason: 'disconnect' })).toEqual([{ type: 'end' }]);
    expect(closedFirst.serializer.serialize(endFrame())).toEqual([]);
  });

  it('wraps genesysEvent entities and drops other transport messages with a warning', () => {
    const call = open();
    const [event] = call.serializer.serialize(
      genesysEvent([{ type: 'bot_turn_response', data: { disposition: 'match', text: 'hi' } }]),
    );
    expect(JSON.parse(String(event))).toMatchObject({
      type: 'event',
      parameters: { entities: [{ type: 'bot_turn_response', data: { disposition: 'match', text: 'hi' } }] },
    });
    expect(call.serializer.serialize(transportMessageFrame({ event: 'custom' }))).toEqual([]);
    expect(call.logger.at('warn')).toEqual([expect.stringMatching(/dropping an output-transport-message/)]);
  });

  it('takes DTMF from Audio Connector and refuses digits outside 0-9 * # A-D', () => {
    const call = open();
    call.send('open', genesysOpenParameters({ conversationId: 'c' }));
    expect(call.send('dtmf', { digit: '#' })).toEqual([{ type: 'input-dtmf', digit: '#' }]);
    expect(call.send('dtmf', { digit: 'X' })).toEqual([]);
    expect(call.parsed().map((reply) => reply.type)).toEqual(['opened']);
  });
});

import { checkpointFrame, endFrame, interruptionFrame, outputAudioFrame } from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { parseAsteriskPlainText } from './events.js';
import { ASTERISK_QUEUE_FRAMES, createAsteriskMediaFlow } from './media-flow.js';

const audio = outputAudioFrame(new Int16Array(1), 8000);
const frames = (count: number) => new Uint8Array(160 * count);
const flow = (maxHeldBytes = 1_000_000) => {
  const warnings: string[] = [];
  const created = createAsteriskMediaFlow({
    frameBytes: 160,
    maxHeldBytes,
    statusCommand: 'GET_STATUS',
    warn: (_kind, message) => warnings.push(message),
  });
  return { flow: created, warnings };
};

describe('Asterisk media flow control', () => {
  it('sends at once while the queue has room, and asks for STATUS before it could fill', () => {
    const { flow: f } = flow();
    expect(f.gate([frames(100)], audio)).toHaveLength(1);
    const out = f.gate([frames(300)], audio);
    expect(out.at(-1)).toBe('GET_STATUS');
  });

  it('holds everything, marks included, between MEDIA_XOFF and MEDIA_XON, then releases in order', () => {
    const { flow: f } = flow();
    f.xoff();
    expect(f.gate([frames(1)], audio)).toEqual([]);
    expect(f.gate(['MARK a'], checkpointFrame('a'))).toEqual([]);
    expect(f.heldBytes).toBe(160);
    const released = f.xon();
    expect(released.slice(0, 2)).toEqual([frames(1), 'MARK a']);
    expect(f.heldBytes).toBe(0);
  });

  it('never starts a message while the queue may hold its maximum, and resumes on STATUS', () => {
    const { flow: f } = flow();
    const first = f.gate([frames(ASTERISK_QUEUE_FRAMES.max)], audio);
    expect(first[0]).toEqual(frames(ASTERISK_QUEUE_FRAMES.max));
    expect(f.gate([frames(1)], audio)).toEqual([]);
    // The queue is full: Asterisk will send MEDIA_XON, so no new GET_STATUS goes out meanwhile.
    expect(f.status(ASTERISK_QUEUE_FRAMES.max, true)).toEqual([]);
    expect(f.paused).toBe(true);
    expect(f.xon()[0]).toEqual(frames(1));
  });

  it('releases what it held when a STATUS shows room', () => {
    const { flow: f } = flow();
    f.gate([frames(ASTERISK_QUEUE_FRAMES.max)], audio);
    expect(f.gate([frames(1)], audio)).toEqual([]);
    // Released, then (the bound still high) another STATUS asked for.
    expect(f.status(850, false)).toEqual([frames(1), 'GET_STATUS']);
    // A STATUS nobody asked for (a handler's own GET_STATUS) changes nothing.
    expect(f.status(0, false)).toEqual([]);
  });

  it('drops what it holds on interruption and sends all it holds before HANGUP on end', () => {
    const { flow: f } = flow();
    f.xoff();
    f.gate([frames(2)], audio);
    expect(f.gate(['FLUSH_MEDIA'], interruptionFrame())).toEqual(['FLUSH_MEDIA']);
    expect(f.heldBytes).toBe(0);
    f.gate([frames(1)], audio);
    expect(f.gate(['HANGUP'], endFrame())).toEqual([frames(1), 'HANGUP']);
  });

  it('bounds what it holds, dropping the newest audio with a warning', () => {
    const { flow: f, warnings } = flow(320);
    f.xoff();
    f.gate([frames(1)], audio);
    f.gate([frames(1)], audio);
    f.gate([frames(1)], audio);
    expect(f.heldBytes).toBe(320);
    expect(f.droppedBytes).toBe(160);
    expect(warnings.length).toBeGreaterThan(0);
  });
});

describe('chan_websocket plain-text events', () => {
  it('reads MEDIA_START, DTMF_END, marks, STATUS and ERROR lines as their JSON form', () => {
    expect(
      parseAsteriskPlainText(
        'MEDIA_START connection_id:c1 channel:WebSocket/c1/0x1 channel_id:17.1 format:ulaw optimal_frame_size:160 ptime:20',
      ),
    ).toEqual({
      event: 'MEDIA_START',
      connection_id: 'c1',
      channel: 'WebSocket/c1/0x1',
      channel_id: '17.1',
      format: 'ulaw',
      optimal_frame_size: '160',
      ptime: '20',
    });
    expect(parseAsteriskPlainText('DTMF_END digit:5 channel_id:17.1')).toEqual({
      event: 'DTMF_END',
      digit: '5',
      channel_id: '17.1',
    });
    expect(parseAsteriskPlainText('MEDIA_MARK_PROCESSED greeting audio')).toEqual({
      event: 'MEDIA_MARK_PROCESSED',
      correlation_id: 'greeting audio',
    });
    expect(parseAsteriskPlainText('MEDIA_XOFF')).toEqual({ event: 'MEDIA_XOFF' });
    expect(parseAsteriskPlainText('ERROR channel_id:1 error_text:Unable to parse it')).toEqual({
      event: 'ERROR',
      channel_id: '1',
      error_text: 'Unable to parse it',
    });
    expect(parseAsteriskPlainText('hello world')).toBeUndefined();
    expect(parseAsteriskPlainText('DTMF_END digit')).toBeUndefined();
  });
});

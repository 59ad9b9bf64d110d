import { audioSocket16kHarness, audioSocketHarness } from './audiosocket-harness.js';
import {
  asteriskAlawPlainTextHarness,
  asteriskSlin16Harness,
  asteriskUlawHarness,
} from './websocket-harness.js';

export {
  audioSocket16kHarness,
  audioSocketAudioFrame,
  audioSocketFrame,
  audioSocketHarness,
  audioSocketPcm,
  audioSocketUuidFrame,
  createAudioSocketHarness,
  readAudioSocketFrame,
} from './audiosocket-harness.js';
export { connectFakeAsterisk, type FakeAsterisk, type FakeAsteriskOptions } from './fake-asterisk.js';
export {
  connectFakeAudioSocket,
  type FakeAudioSocket,
  type FakeAudioSocketOptions,
  type ReceivedAudioSocketMessage,
} from './fake-audiosocket.js';
export {
  ASTERISK_WS_AUTH,
  type AsteriskWebSocketHarnessOptions,
  asteriskAlawPlainTextHarness,
  asteriskFrameBytes,
  asteriskMediaStart,
  asteriskSlin16Harness,
  asteriskUlawHarness,
  createAsteriskWebSocketHarness,
  decodeAsteriskMedia,
  encodeAsteriskMedia,
  readAsteriskCommand,
} from './websocket-harness.js';

/** Every harness: chan_websocket's first (what bench, fuzz and the simulator discover), then AudioSocket's. */
export const harnesses = [
  asteriskUlawHarness,
  asteriskSlin16Harness,
  asteriskAlawPlainTextHarness,
  audioSocketHarness,
  audioSocket16kHarness,
];

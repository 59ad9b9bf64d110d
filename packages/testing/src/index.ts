export { fitTone, rms, snrDb, type ToneFit, toneSnrDb } from './audio/measure.js';
export { bytesToPcm, concatPcm, pcmToBytes, splitPcm } from './audio/pcm.js';
export { chirp, FULL_SCALE, noise, type SignalLevel, sampleCount, silence, tone } from './audio/signals.js';
export { decodeWav, encodeWav, readWav, type WavAudio, writeWav } from './audio/wav.js';
export type { CarrierCapabilities, CarrierHarness } from './conformance/harness.js';
export { type FakePlivoApiOptions, startFakePlivoApi } from './fake-api/plivo.js';
export {
  basicAuthHeader,
  type FakeCarrierApiOptions,
  type FakeRoute,
  type FakeRouteRequest,
  type FakeRouteResponse,
  parseBasicAuth,
  parseBearerToken,
  startFakeCarrierApi,
  unknownRouteResponse,
} from './fake-api/server.js';
export { type FakeTelnyxApiOptions, startFakeTelnyxApi } from './fake-api/telnyx.js';
export { type FakeTwilioApiOptions, startFakeTwilioApi } from './fake-api/twilio.js';
export type { FakeCarrierApi, FakeFault, RecordedRequest } from './fake-api/types.js';
export { type FakeVonageApiOptions, startFakeVonageApi } from './fake-api/vonage.js';
export { FakeWebSocket, type FakeWebSocketPairOptions, type SentMessage } from './fake-websocket.js';
export * from './fuzz/index.js';

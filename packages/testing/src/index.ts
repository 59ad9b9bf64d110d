export { fitTone, rms, snrDb, type ToneFit, toneSnrDb } from './audio/measure.js';
export { bytesToPcm, concatPcm, pcmToBytes, splitPcm } from './audio/pcm.js';
export { chirp, FULL_SCALE, noise, type SignalLevel, sampleCount, silence, tone } from './audio/signals.js';
export { decodeWav, encodeWav, readWav, type WavAudio, writeWav } from './audio/wav.js';
export {
  checkChunkInvariance,
  checkEmptyAudio,
  checkInboundAudio,
  checkInboundChunkInvariance,
  checkOutboundAudio,
  PIPELINE_RATES,
  snrBarDb,
  TEST_TONE_HZ,
} from './conformance/checks-audio.js';
export {
  checkCheckpoint,
  checkDtmfDigits,
  checkInterruption,
  checkInvalidDtmf,
  checkOutputDtmf,
  checkTransportMessages,
  checkUnsentFrames,
  INVALID_DTMF_DIGITS,
} from './conformance/checks-control.js';
export {
  checkHangUpFault,
  checkHangUpOnce,
  checkMissingCallIdRefused,
  checkNoHangUpWhenOff,
  HANG_UP_FAULTS,
  HANG_UP_SEQUENCES,
  HANG_UP_SLACK_MS,
} from './conformance/checks-hang-up.js';
export {
  checkGeneratedMessages,
  checkHostileCorpus,
  checkMutatedMessages,
  MAX_WARNINGS_PER_CALL,
  validMessages,
} from './conformance/checks-hostile.js';
export { checkNoSecretsLogged, expectNoSecrets, forbiddenStrings } from './conformance/checks-secrets.js';
export {
  type ConformanceCall,
  type ConformanceContext,
  type ConformanceContextOptions,
  createConformanceContext,
  createRecordingLogger,
  type LogRecord,
  type RecordedHangUp,
} from './conformance/context.js';
export { inboundFrameProblem, isAcceptableDeserializeResult } from './conformance/frame-validity.js';
export type { CarrierCapabilities, CarrierHarness } from './conformance/harness.js';
export { hostileCorpus, hostileMessageArbitrary, mutationsOf } from './conformance/hostile-corpus.js';
export { type ConformanceOptions, describeCarrierConformance, harnessProblems } from './conformance/suite.js';
export { type DiscoveredCarrier, discoverCarriers } from './discover-carriers.js';
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
export { type LogLine, recordingLogger } from './recording-logger.js';
export {
  type PlayAudioRecord,
  type SimulatedCallSummary,
  type SimulatedCheckpoint,
  type SimulatedDtmf,
  type SimulatedPlivoCall,
  type SimulatePlivoCallOptions,
  type SimulatorEvent,
  simulatePlivoCall,
  startSimulatedPlivoCall,
} from './simulator/plivo-call.js';
export { openTestSocket, type ReceivedMessage, type TestSocket, waitUntil } from './test-socket.js';

// `@callwire/testing`: safe to load anywhere (nothing here imports vitest). The carrier test kit is
// `@callwire/testing/vitest`; the audio helpers are `@callwire/testing/audio`.

export { type DiscoveredCarrier, discoverCarriers } from './discover-carriers.js';
export {
  basicAuthHeader,
  type FakeRoute,
  parseBasicAuth,
  parseBearerToken,
  startFakeCarrierApi,
} from './fake-api/server.js';
export type { FakeCarrierApi, FakeFault } from './fake-api/types.js';
export { FakeWebSocket } from './fake-websocket.js';
export { describeFindings, fuzzCarrier } from './fuzz/fuzz-carrier.js';
export type {
  AnswerWebhookCall,
  CallMetadataField,
  CarrierCapabilities,
  CarrierHarness,
} from './harness.js';
export { type LogRecord, type RecordingLogger, recordingLogger } from './logger.js';
export {
  type AnsweredCallOptions,
  type FetchStreamUrlOptions,
  fetchStreamUrl,
  simulateAnsweredCall,
  startAnsweredCall,
} from './simulator/answer.js';
export {
  type SimulateCallOptions,
  type SimulatedCall,
  type SimulatedCallSummary,
  type SimulatedPlayback,
  type SimulatorEvent,
  simulateCall,
  startSimulatedCall,
} from './simulator/call.js';
export { openTestSocket, type TestSocket, waitUntil } from './test-socket.js';

export { type CallTool, type CallToolsOptions, callTools } from './call-tools.js';
export { dtmfMessage } from './dtmf-message.js';
export { chooseModelAudio, type ModelAudioChoice, type ModelAudioEncoding } from './model-audio.js';
export {
  type CallRealtimeTransport,
  type CallwireDtmfEvent,
  createRealtimeTransport,
  type RealtimeTransportOptions,
} from './transport.js';

export { AUDIOSOCKET_FRAME_MS, audioSocket, detectAudioSocketCall } from './audiosocket/carrier.js';
export {
  AUDIOSOCKET_AUDIO_RATES,
  AUDIOSOCKET_HEADER_BYTES,
  AUDIOSOCKET_KIND,
  AUDIOSOCKET_MAX_PAYLOAD_BYTES,
  audioKindFor,
  audioSocketMessage,
  readAudioSocketMessage,
  uuidBytes,
  uuidText,
} from './audiosocket/frames.js';
export { audioSocketFraming, createAudioSocketDeframer } from './audiosocket/framing.js';
export {
  type AudioSocketCallParams,
  AudioSocketCallParamsSchema,
  type AudioSocketOptions,
  AudioSocketOptionsSchema,
  type ResolvedAudioSocketCallParams,
  type ResolvedAudioSocketOptions,
} from './audiosocket/options.js';
export { asteriskWebSocket, detectAsteriskWebSocketCall } from './websocket/carrier.js';
export {
  ASTERISK_MAX_COMMAND_BYTES,
  type AsteriskCommandName,
  type AsteriskControlFormat,
  type AsteriskInboundEvent,
  AsteriskInboundEventSchema,
  type AsteriskMediaStartEvent,
  AsteriskMediaStartEventSchema,
  type AsteriskOutboundCommand,
  AsteriskOutboundCommandSchema,
  asteriskCommand,
  parseAsteriskPlainText,
} from './websocket/events.js';
export { ASTERISK_FORMATS, asteriskWireFormat } from './websocket/formats.js';
export { ASTERISK_MAX_MESSAGE_BYTES, createAsteriskFramer } from './websocket/framer.js';
export {
  ASTERISK_QUEUE_FRAMES,
  type AsteriskMediaFlow,
  type AsteriskMediaFlowOptions,
  createAsteriskMediaFlow,
  STATUS_POLL_FRAMES,
} from './websocket/media-flow.js';
export {
  type AsteriskWebSocketCallParams,
  AsteriskWebSocketCallParamsSchema,
  type AsteriskWebSocketOptions,
  AsteriskWebSocketOptionsSchema,
  type ResolvedAsteriskWebSocketCallParams,
  type ResolvedAsteriskWebSocketOptions,
} from './websocket/options.js';

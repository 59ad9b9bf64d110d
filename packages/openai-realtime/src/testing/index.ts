export {
  type ClientEvent,
  type FakeRealtimeServer,
  startFakeRealtimeServer,
} from './fake-realtime-server.js';

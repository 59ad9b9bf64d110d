// The load test's baseline: a bare `ws` server that echoes Plivo media back as `playAudio` with
// JSON.parse + JSON.stringify and nothing else (no validation, no decoding, no resampling).
//   node bench/load/bare-echo-server.mjs --host 127.0.0.1 --port 8765
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const flag = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
};
const port = Number(flag('--port', '8765'));
const host = flag('--host', '127.0.0.1');
const server = createServer((_request, response) => response.end('bare echo\n'));
const sockets = new WebSocketServer({ server, path: flag('--path', '/stream'), maxPayload: 1024 * 1024 });
sockets.on('connection', (socket) => {
  let streamId = '';
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    let message;
    try {
      message = JSON.parse(String(data));
    } catch {
      return;
    }
    if (message?.event === 'start') streamId = String(message.start?.streamId ?? '');
    else if (message?.event === 'media' && typeof message.media?.payload === 'string') {
      socket.send(
        JSON.stringify({
          event: 'playAudio',
          media: { contentType: 'audio/x-mulaw', sampleRate: 8000, payload: message.media.payload },
          streamId,
        }),
      );
    }
  });
});
server.listen(port, host, () => process.stdout.write(`bare echo on ${host}:${port}\n`));
const stop = () => {
  for (const socket of sockets.clients) socket.terminate();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

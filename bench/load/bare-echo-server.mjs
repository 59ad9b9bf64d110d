// The load test's baseline: a bare `ws` server that echoes any carrier's media back with JSON.parse +
// JSON.stringify and nothing else (no validation, no decoding, no resampling). A text message's payload
// is its longest string (found once per socket, on the first message holding a string of 64 characters
// or more); it goes back as `{"event":"media","payload":...}`. A binary frame goes back as a copy.
//   node bench/load/bare-echo-server.mjs --host 127.0.0.1 --port 8765
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const flag = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
};
const port = Number(flag('--port', '8765'));
const host = flag('--host', '127.0.0.1');
const PAYLOAD_MIN_CHARS = 64;

/** The path of the longest string in `value`, or undefined. */
function longestStringPath(value) {
  let best;
  const walk = (node, path) => {
    if (typeof node === 'string') {
      if (!best || node.length > best.length) best = { path, length: node.length };
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
    }
  };
  walk(value, []);
  return best && best.length >= PAYLOAD_MIN_CHARS ? best.path : undefined;
}

function at(value, path) {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = node[key];
  }
  return node;
}

const server = createServer((_request, response) => response.end('bare echo\n'));
// Any path under --path: the load clients add a stream token segment (`/stream/<token>`), which this
// baseline accepts unchecked (it measures the bare echo, not stream auth).
const mediaPath = flag('--path', '/stream');
const sockets = new WebSocketServer({
  server,
  maxPayload: 1024 * 1024,
  verifyClient: ({ req }) => req.url === mediaPath || (req.url ?? '').startsWith(`${mediaPath}/`),
});
sockets.on('connection', (socket) => {
  let payloadPath;
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.send(Buffer.from(data));
      return;
    }
    let message;
    try {
      message = JSON.parse(String(data));
    } catch {
      return;
    }
    payloadPath ??= longestStringPath(message);
    if (payloadPath === undefined) return;
    const payload = at(message, payloadPath);
    if (typeof payload === 'string' && payload.length >= PAYLOAD_MIN_CHARS) {
      socket.send(JSON.stringify({ event: 'media', payload }));
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

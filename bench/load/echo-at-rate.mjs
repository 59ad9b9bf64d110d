// A bench-only variant of `callwire serve --bot echo` with the pipeline rate as a flag, composed from
// the public APIs (core, plivo, server, the examples' echo bot), to measure what resampling costs a
// call: at --pipeline-rate 8000 Plivo's 8 kHz audio is never resampled.
//   node bench/load/echo-at-rate.mjs --host 127.0.0.1 --port 8765 --pipeline-rate 8000
//   pnpm bench:load -- --server-cmd "node bench/load/echo-at-rate.mjs --host 127.0.0.1 --port {port} --pipeline-rate 8000"
const root = new URL('../../', import.meta.url);
const load = (path) => import(new URL(path, root).href);
const { createCallwireContainer, registerCarrier, silentLogger } = await load('packages/core/dist/index.js');
const { plivo } = await load('packages/plivo/dist/index.js');
const { createCallServer } = await load('packages/server/dist/index.js');
const { echoBot } = await load('examples/app/dist/echo.js');

const flag = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
};
const container = createCallwireContainer({ logger: silentLogger });
registerCarrier(container, plivo, {});
const server = createCallServer({
  container,
  handler: echoBot,
  logger: silentLogger,
  pipelineSampleRate: Number(flag('--pipeline-rate', '16000')),
  callParams: () => ({ autoHangUp: false }),
});
const port = await server.listen(Number(flag('--port', '8765')), flag('--host', '127.0.0.1'));
process.stdout.write(`echo at ${flag('--pipeline-rate', '16000')} Hz on ${port}\n`);
const stop = () => server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

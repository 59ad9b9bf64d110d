// A bench-only variant of `callwire serve --bot echo` with the pipeline rate as a flag, composed from
// the public APIs (core, server, the CLI's echo bot) and one carrier found by convention under packages/
// (registered with its harness's test options), to measure what resampling costs a call: at
// --pipeline-rate 8000 an 8 kHz carrier's audio is never resampled.
//   node bench/load/echo-at-rate.mjs --host 127.0.0.1 --port 8765 --pipeline-rate 8000 [--carrier <name>]
//   pnpm bench:load -- --server-cmd "node bench/load/echo-at-rate.mjs --host 127.0.0.1 --port {port} --pipeline-rate 8000"
const root = new URL('../../', import.meta.url);
const load = (path) => import(new URL(path, root).href);
const { createCallwireContainer, registerCarrier, silentLogger } = await load('packages/core/dist/index.js');
const { discoverCarriers } = await load('packages/testing/dist/index.js');
const { createCallServer } = await load('packages/server/dist/index.js');
const { echoBot } = await load('packages/cli/dist/echo.js');

const flag = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
};
const carriers = await discoverCarriers(new URL('packages/', root).pathname);
const wanted = flag('--carrier');
const chosen = wanted === undefined ? carriers : carriers.filter((carrier) => carrier.name === wanted);
if (chosen.length === 0) throw new Error(`--carrier ${wanted}: not found under packages/`);
const container = createCallwireContainer({ logger: silentLogger });
for (const carrier of chosen) {
  const harness = carrier.harnesses[0];
  // The URL is never called: calls are served with auto hang-up off.
  registerCarrier(
    container,
    harness.plugin,
    harness.options({ apiUrl: 'http://127.0.0.1:9', hangUpTimeoutMs: 1000 }),
  );
}
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

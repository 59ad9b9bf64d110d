import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  type CallInfo,
  CallwireError,
  type CarrierPlugin,
  canHangUp,
  createWarnOnce,
  createWireSerializer,
  hangUpOnceFor,
  LOGGER,
  type Logger,
  openingMessage,
  parseConfig,
  registeredCarriers,
  resolveCallControl,
  startFrame,
  type WebhookRequest,
  type WebhookVerdict,
  type WireMessage,
} from '@callwire/core';
import type { Registry } from 'prom-client';
import { type RawData, WebSocketServer } from 'ws';
import { lowerCaseHeaders, serveAnswer } from './answer.js';
import { type CallRuntime, createCallRuntime } from './call.js';
import { type DrainWait, waitForCallsToEnd } from './drain.js';
import { type Readiness, serveHealth } from './health.js';
import { describeError, withFields } from './log.js';
import { framedSocket, type MediaSocket } from './media-socket.js';
import { withMeteredHangUps } from './metered-hang-ups.js';
import { createServerMetrics } from './metrics.js';
import { createMetricsHttpServer, METRICS_PATH, serveMetrics } from './metrics-http.js';
import { type CallServerOptions, CallServerSettingsSchema, reservedPathProblem } from './options.js';
import { acceptsBasic, createStreamGate, type GateVerdict, type StreamAdmission } from './stream-gate.js';
import { webhookUrlFor } from './urls.js';

/** Counts that show whether anything leaks (used by tests and soak runs). */
export interface CallServerStats {
  /** WebSocket connections currently open or closing. */
  readonly sockets: number;
  /** Calls whose end has not completed yet. */
  readonly calls: number;
  /** Sockets still waiting to identify a call (each holds one start timer). */
  readonly identifying: number;
  /** Upgrade requests being checked or completed, not sockets yet. */
  readonly upgrading: number;
}

/** Options of `CallServer.drain`. */
export interface DrainOptions {
  /** How long live calls may run to their natural end (ms). @default the server's `drainTimeoutMs` */
  readonly timeoutMs?: number;
}

/** A running (or ready) call server. */
export interface CallServer {
  /** Starts listening; resolves with the bound port (pass 0 for any free port). */
  listen(port?: number, host?: string): Promise<number>;
  /**
   * Graceful shutdown: stops accepting, ends every call (its `end` frame goes out and the call is
   * hung up through the carrier), closes every socket, then stops the HTTP server.
   */
  close(): Promise<void>;
  /**
   * Zero-drop shutdown: `/readyz` answers 503 at once, new media upgrades and answer requests get 503,
   * live calls run to their natural end; after `timeoutMs` the calls left end as `close()` ends them.
   * Resolves when the server is closed. Calling `close()` meanwhile ends the wait at once.
   */
  drain(options?: DrainOptions): Promise<void>;
  /** What `GET /readyz` reports now. */
  readiness(): Readiness;
  /** The bound port of `metrics: { port }` once listening, else `undefined`. */
  metricsPort(): number | undefined;
  /** The bound port of the `tcp` listener once listening, else `undefined`. */
  tcpPort(): number | undefined;
  /** This server's Prometheus registry (add your own metrics to it), `undefined` with metrics off. */
  readonly metricsRegistry: Registry | undefined;
  stats(): CallServerStats;
}

/** Opening messages kept (to replay into the serializer) while carriers answer 'need-more'. */
const maxOpeningMessages = 8;
/** After refusing a socket, how long its peer gets to finish the close handshake (ms). */
const refuseGraceMs = 2000;

type Detected = { plugin: CarrierPlugin<unknown, unknown>; info: CallInfo } | 'need-more' | undefined;

function toWireMessage(data: RawData, isBinary: boolean): WireMessage {
  const buffer = Array.isArray(data)
    ? Buffer.concat(data)
    : data instanceof ArrayBuffer
      ? Buffer.from(data)
      : data;
  if (!isBinary) return buffer.toString('utf8');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query >= 0 ? url.slice(0, query) : url;
}

function refuseUpgrade(socket: Duplex, status: number, text: string, extraHeaders = ''): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${extraHeaders}Connection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/**
 * The stream token in an upgrade's path: `undefined` for the media path itself, the last segment of
 * `<path>/<token>`, or `false` for any other path.
 */
function tokenInPath(requestPath: string, mediaPath: string): string | undefined | false {
  if (requestPath === mediaPath) return undefined;
  const prefix = mediaPath.endsWith('/') ? mediaPath : `${mediaPath}/`;
  if (!requestPath.startsWith(prefix)) return false;
  const token = requestPath.slice(prefix.length);
  return token !== '' && !token.includes('/') ? token : false;
}

/**
 * A WebSocket server for carriers' media streams plus an HTTP answer endpoint. Each socket's
 * opening message is offered to every registered carrier's `detect`; on a match the call gets its
 * own serializer and the `handler` runs with a `Call`. Bad settings throw `CallwireError('CONFIG')`.
 */
export function createCallServer(options: CallServerOptions): CallServer {
  const { container, handler, callParams } = options;
  const settings = parseConfig('server', 'options', CallServerSettingsSchema, options);
  if (typeof handler !== 'function') {
    throw new CallwireError('CONFIG', '[server] invalid options: handler: must be a function');
  }
  const reserved = reservedPathProblem(settings);
  if (reserved) throw new CallwireError('CONFIG', `[server] invalid options: ${reserved}`);
  const metrics = settings.metrics === false ? undefined : createServerMetrics();
  // Serializers resolve their CallControl from here, so hang-ups are measured without the carriers knowing.
  const callContainer = metrics ? withMeteredHangUps(container, metrics) : container;
  // Bound copies of the methods: helpers such as createWarnOnce call them detached (pino needs `this`).
  const logger: Logger = withFields(options.logger ?? container.resolve(LOGGER), {});
  for (const plugin of registeredCarriers(container)) {
    if (plugin.hangUpVia === 'stream') {
      logger.info({ carrier: plugin.name }, 'no REST hang-up for this carrier: a hang-up closes the stream');
    } else if (!canHangUp(container, plugin.name)) {
      logger.info({ carrier: plugin.name }, 'no credentials for hang-ups: calls run with auto hang-up off');
    }
  }
  const warnOnce = createWarnOnce(logger);
  const streamCarrier = settings.tcp
    ? tcpCarrier(registeredCarriers(container), settings.tcp.carrier)
    : undefined;
  const gate = createStreamGate({ container, logger, streamAuth: settings.streamAuth });
  const basicChallenge = acceptsBasic(container) ? 'WWW-Authenticate: Basic realm="callwire"\r\n' : '';
  const calls = new Set<CallRuntime>();
  const sockets = new Set<MediaSocket>();
  /** Sockets that have not identified a call yet, each with the function that refuses it. */
  const identifying = new Map<MediaSocket, (code: number, reason: string, kind: string) => void>();
  /** The `tcp` listener, once listening. */
  let tcpServer: TcpServer | undefined;
  let closing = false;
  let draining = false;
  let drainWait: DrainWait | undefined;
  /** The HTTP server of `metrics: { port }`, once listening. */
  let metricsServer: Server | undefined;
  /** Upgrade requests accepted for checking but not yet sockets (they count against the caps). */
  let upgrading = 0;
  /** Calls being set up (serializer `setup` in progress). */
  const starting = new Set<Promise<void>>();

  // perMessageDeflate: ws 8's server default is already off; it is spelled out (issue 20) because media
  // frames (base64 G.711, raw L16) barely compress, and deflate would cost zlib CPU on every message and
  // a zlib context of hundreds of KiB per call at the default window.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: settings.maxPayload,
    perMessageDeflate: false,
  });
  // Answer requests are small: a slow or stalled client (slowloris) is cut off after 10 s.
  const http = createServer({ headersTimeout: 10_000, requestTimeout: 10_000 }, (request, response) => {
    const path = pathOf(request);
    if (serveHealth(path, request, response, readiness)) return;
    if (path === METRICS_PATH && metrics && settings.metrics === true) {
      void serveMetrics(metrics.registry, request, response);
      return;
    }
    if (path === settings.answerPath) {
      if (draining || closing) {
        // The balancer retries another instance (docs/scaling.md): this one takes no new calls.
        response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
        response.end('draining\n');
        return;
      }
      void serveAnswer({ ...settings, container, logger, warnOnce, gate }, request, response);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('not found\n');
  });
  http.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    socket.destroy();
  });

  http.on('upgrade', (request, socket, head) => {
    socket.on('error', () => {});
    if (closing || draining) {
      metrics?.upgradeRefused('draining');
      return refuseUpgrade(socket, 503, 'Service Unavailable');
    }
    const token = tokenInPath(pathOf(request), settings.path);
    if (token === false) {
      metrics?.upgradeRefused('not-found');
      return refuseUpgrade(socket, 404, 'Not Found');
    }
    const full = capacityProblem();
    if (full) {
      metrics?.upgradeRefused('cap');
      warnOnce(`upgrade-${full}`, `media socket refused: ${full}`, {
        maxConnections: settings.maxConnections,
        maxUnidentifiedConnections: settings.maxUnidentifiedConnections,
      });
      return refuseUpgrade(socket, 503, 'Service Unavailable');
    }
    // An upgrade holds a slot from here until it becomes a socket or its connection closes.
    upgrading += 1;
    let holdsSlot = true;
    const releaseSlot = () => {
      if (holdsSlot) upgrading -= 1;
      holdsSlot = false;
    };
    socket.once('close', releaseSlot);
    const upgrade = (admission: StreamAdmission) =>
      wss.handleUpgrade(request, socket, head, (ws) => {
        releaseSlot();
        accept(ws, admission);
      });
    const upgradeRequest = () => webhookForUpgrade(request);
    /** The upgrade's signature (with `verifyUpgrade`), then its stream credential; `undefined` once refused. */
    const authorise = async (): Promise<StreamAdmission | undefined> => {
      if (settings.verifyUpgrade) {
        const verdict = await verifyUpgrade(request);
        if (verdict === 'missing' || verdict === 'invalid') {
          metrics?.upgradeRefused('signature');
          warnOnce(`upgrade-${verdict}`, `media socket refused: ${verdict} signature`, {
            remoteAddress: request.socket.remoteAddress,
          });
          refuseUpgrade(
            socket,
            verdict === 'missing' ? 401 : 403,
            verdict === 'missing' ? 'Unauthorized' : 'Forbidden',
          );
          return undefined;
        }
      }
      const checked = gate.check(token, request, upgradeRequest);
      const gated: GateVerdict = checked instanceof Promise ? await checked : checked;
      if ('status' in gated) {
        metrics?.upgradeRefused('stream-auth');
        // The kind (no-token, bad-token, expired-token, reused-token, ...) is logged, never the token.
        warnOnce(`upgrade-${gated.kind}`, `media socket refused: ${gated.kind}`, {
          remoteAddress: request.socket.remoteAddress,
        });
        if (gated.status === 401) refuseUpgrade(socket, 401, 'Unauthorized', basicChallenge);
        else refuseUpgrade(socket, 403, 'Forbidden');
        return undefined;
      }
      return gated.admitted;
    };
    authorise().then(
      (admission) => {
        if (admission === undefined) return;
        if (closing || draining) {
          metrics?.upgradeRefused('draining');
          return refuseUpgrade(socket, 503, 'Service Unavailable');
        }
        upgrade(admission);
      },
      () => {
        metrics?.upgradeRefused(settings.verifyUpgrade ? 'signature' : 'stream-auth');
        refuseUpgrade(socket, 500, 'Internal Server Error');
      },
    );
  });
  // With a listener, ws leaves the refusal of an invalid handshake to us (so it can be counted).
  wss.on('wsClientError', (_error, socket) => {
    metrics?.upgradeRefused('bad-handshake');
    refuseUpgrade(socket, 400, 'Bad Request');
  });

  /** What `/readyz` says: new calls are accepted only when not draining, closing or at a cap. */
  function readiness(): Readiness {
    if (closing) return 'closing';
    if (draining) return 'draining';
    return capacityProblem() ? 'at-capacity' : 'ready';
  }

  /** Calls a drain waits for: live ones, ones being set up, and sockets that have yet to say which call. */
  function callsLeft(): number {
    return calls.size + starting.size + identifying.size;
  }

  /** Why one more media socket would exceed a connection cap, or `undefined` when it fits. */
  function capacityProblem(): 'too-many-connections' | 'too-many-unidentified' | undefined {
    if (sockets.size + upgrading >= settings.maxConnections) return 'too-many-connections';
    if (identifying.size + upgrading >= settings.maxUnidentifiedConnections) return 'too-many-unidentified';
    return undefined;
  }

  /**
   * The upgrade request's signature, as the registered carriers judge it: `valid` when one accepts
   * it, `unchecked` when none can check, else the first `missing`/`invalid` answer. The URL checked is
   * the `ws(s)://` one the carrier called.
   */
  function webhookForUpgrade(request: IncomingMessage): WebhookRequest {
    return {
      method: 'GET',
      url: webhookUrlFor(request.url ?? '/', settings.publicUrl, request.headers.host).replace(/^http/, 'ws'),
      headers: lowerCaseHeaders(request),
      body: '',
    };
  }

  async function verifyUpgrade(request: IncomingMessage): Promise<WebhookVerdict> {
    const webhook = webhookForUpgrade(request);
    let refusal: WebhookVerdict | undefined;
    for (const plugin of registeredCarriers(container)) {
      if (!plugin.verifyWebhook) continue;
      const verdict = await plugin.verifyWebhook(webhook, container);
      if (verdict === 'valid') return 'valid';
      if (verdict !== 'unchecked') refusal ??= verdict;
    }
    return refusal ?? 'unchecked';
  }

  /**
   * The carrier whose `detect` recognises `message`. On the TCP listener only its carrier is asked; on
   * WebSocket every carrier but those that stream over plain TCP.
   */
  function detect(message: WireMessage, only: CarrierPlugin<unknown, unknown> | undefined): Detected {
    const parsed = openingMessage(message);
    let needMore = false;
    const candidates = only
      ? [only]
      : registeredCarriers(container).filter((plugin) => !plugin.streamFraming);
    for (const plugin of candidates) {
      if (!plugin.detect) continue;
      let detection: ReturnType<NonNullable<typeof plugin.detect>>;
      try {
        detection = plugin.detect(parsed);
      } catch (error) {
        warnOnce(`detect-threw-${plugin.name}`, 'carrier detect hook threw', {
          carrier: plugin.name,
          error: describeError(error),
        });
        continue;
      }
      if (detection === 'need-more') needMore = true;
      else if (detection !== undefined) return { plugin, info: detection };
    }
    return needMore ? 'need-more' : undefined;
  }

  /** Runs a media connection: identifies its call (by `only`'s `detect` when given), then serves it. */
  function accept(ws: MediaSocket, admission: StreamAdmission, only?: CarrierPlugin<unknown, unknown>): void {
    sockets.add(ws);
    let state: 'identifying' | 'starting' | 'in-call' | 'closed' = 'identifying';
    let runtime: CallRuntime | undefined;
    const opening: WireMessage[] = [];
    let chain: Promise<void> = Promise.resolve();
    let pending = 0;
    let paused = false;
    let refuseTimer: NodeJS.Timeout | undefined;

    function stopIdentifying(): void {
      if (state !== 'identifying' && state !== 'starting') return;
      clearTimeout(startTimer);
      identifying.delete(ws);
    }

    function refuse(code: number, reason: string, kind: string): void {
      if (state === 'closed') return;
      stopIdentifying();
      state = 'closed';
      if (kind !== 'shutdown') warnOnce(kind, `closing a media socket: ${reason}`);
      ws.close(code, reason);
      refuseTimer = setTimeout(() => ws.terminate(), refuseGraceMs);
    }

    const startTimer = setTimeout(
      () => refuse(1008, `no call identified within ${settings.startTimeoutMs} ms`, 'start-timeout'),
      settings.startTimeoutMs,
    );
    identifying.set(ws, refuse);

    async function begin(plugin: CarrierPlugin<unknown, unknown>, info: CallInfo): Promise<void> {
      state = 'starting';
      // A carrier registered without credentials still serves calls, with auto hang-up off.
      const hangUpDefault = canHangUp(container, plugin.name) ? {} : { autoHangUp: false };
      const params = { ...hangUpDefault, ...info.params, ...callParams?.(plugin.name, info) };
      const call: CallInfo = { ...info, params };
      let serializer: ReturnType<typeof createWireSerializer>;
      try {
        serializer = createWireSerializer(callContainer, plugin.name, call);
        serializer.setup(startFrame({ audioInSampleRate: settings.pipelineSampleRate }));
      } catch (error) {
        logger.error(
          { carrier: plugin.name, callId: info.callId, streamId: info.streamId, error: describeError(error) },
          'call setup failed',
        );
        refuse(1011, 'call setup failed', 'setup-failed');
        return;
      }
      const socketGone = state !== 'starting';
      stopIdentifying();
      state = 'in-call';
      const created = createCallRuntime({
        socket: ws,
        serializer,
        hangUpOnce: hangUpOnceFor(callContainer, serializer),
        carrier: plugin.name,
        callId: info.callId,
        streamId: info.streamId,
        info: info.metadata,
        sampleRate: settings.pipelineSampleRate,
        logger,
        inboundQueueFrames: settings.inboundQueueFrames,
        maxBufferedBytes: settings.maxBufferedBytes,
        meter: metrics?.callStarted(plugin.name),
        control: resolveCallControl(callContainer, plugin.name),
        answerUrl:
          settings.publicUrl === undefined ? undefined : `${settings.publicUrl}${settings.answerPath}`,
        onFinished: (ended) => {
          calls.delete(created);
          metrics?.callEnded(plugin.name, ended.reason);
          drainWait?.check();
        },
      });
      runtime = created;
      calls.add(created);
      for (const message of opening.splice(0)) await created.receive(message);
      created.start(handler);
      if (closing) void created.finish('server-closed');
      else if (socketGone) void created.finish('remote-closed');
    }

    async function process(message: WireMessage): Promise<void> {
      if (runtime) return runtime.receive(message);
      if (state !== 'identifying') return;
      opening.push(message);
      const detected = detect(message, only);
      if (detected === undefined) {
        refuse(1008, 'unrecognised opening message', 'unrecognised-opening');
      } else if (detected === 'need-more') {
        if (opening.length >= maxOpeningMessages) {
          refuse(1008, 'no call identified in the opening messages', 'too-many-openings');
        }
      } else {
        const mismatch = gate.mismatch(admission, detected.plugin.name, detected.info.callId);
        if (mismatch !== undefined) {
          refuse(1008, mismatch, 'stream-auth-mismatch');
          return;
        }
        const begun = begin(detected.plugin, detected.info);
        starting.add(begun);
        await begun.finally(() => {
          starting.delete(begun);
          drainWait?.check();
        });
      }
    }

    ws.on('message', (data, isBinary) => {
      if (state === 'closed' && !runtime) return;
      const message = toWireMessage(data, isBinary);
      // Hot path: in a call with nothing queued before it, a message is decoded at once, without the
      // three promises of the chain (receive is synchronous and catches its own errors).
      if (runtime && pending === 0) {
        try {
          runtime.receive(message);
        } catch (error) {
          logger.error({ error: describeError(error) }, 'inbound message handling failed');
        }
        return;
      }
      pending += 1;
      if (pending > settings.maxPendingMessages && !paused) {
        paused = true;
        ws.pause();
        warnOnce(
          'inbound-backpressure',
          'inbound messages arrive faster than they are decoded: pausing reads',
        );
      }
      chain = chain
        .then(() => process(message))
        .catch((error: unknown) => {
          logger.error({ error: describeError(error) }, 'inbound message handling failed');
        })
        .finally(() => {
          pending -= 1;
          if (paused && pending <= settings.maxPendingMessages / 2) {
            paused = false;
            ws.resume();
          }
        });
    });

    ws.on('error', (error) => {
      const oversize = error instanceof RangeError || /payload/i.test(error.message);
      warnOnce(oversize ? 'oversize-message' : 'socket-error', 'media socket error: closing it', {
        error: describeError(error),
      });
    });

    ws.on('close', () => {
      sockets.delete(ws);
      clearTimeout(refuseTimer);
      if (runtime) {
        void runtime.finish('remote-closed');
      } else {
        stopIdentifying();
        state = 'closed';
      }
      drainWait?.check();
    });
  }

  /** A connection on the `tcp` listener: framed by its carrier, then served like a WebSocket. */
  function acceptStream(socket: Socket): void {
    socket.on('error', () => {});
    const carrier = streamCarrier;
    const framing = carrier?.streamFraming;
    if (!carrier || !framing || closing || draining || capacityProblem()) {
      if (carrier && !closing && !draining) {
        warnOnce('tcp-cap', 'stream connection refused: at a connection cap', {
          maxConnections: settings.maxConnections,
        });
      }
      socket.destroy();
      return;
    }
    const remoteAddress = socket.remoteAddress;
    const media = framedSocket(socket, framing.createDeframer(settings.maxPayload), (problem) => {
      // One line per connection: each is a peer that is not speaking the carrier's protocol.
      logger.warn(
        { carrier: carrier.name, remoteAddress },
        `stream connection closed (${carrier.name}): ${problem}`,
      );
    });
    // A byte stream has no credential to check (`streamAuth: 'network'`): the listener's address is
    // the only gate, which start-up warns about.
    accept(media, { carrier: carrier.name, via: 'network' }, carrier);
  }

  async function listen(port = 0, host?: string): Promise<number> {
    await listenOn(http, port, host);
    const bound = boundPort(http, port);
    if (settings.tcp && streamCarrier) {
      const { port: wanted, host: tcpHost = host } = settings.tcp;
      const server = createTcpServer(acceptStream);
      await listenOn(server, wanted, tcpHost);
      tcpServer = server;
      const tcpPort = boundPort(server, wanted);
      logger.info({ port: tcpPort, carrier: streamCarrier.name }, 'stream listener listening');
      logger.warn(
        { port: tcpPort, host: tcpHost ?? 'all interfaces', carrier: streamCarrier.name },
        `the ${streamCarrier.name} stream listener cannot authenticate callers: anyone who reaches it can open a call; bind it to a private network only`,
      );
    }
    if (metrics && typeof settings.metrics === 'object') {
      const { port: wanted, host: metricsHost = host } = settings.metrics;
      metricsServer = createMetricsHttpServer(metrics.registry, readiness);
      await listenOn(metricsServer, wanted, metricsHost);
      logger.info({ port: boundPort(metricsServer, wanted) }, 'metrics listening');
    }
    logger.info(
      { port: bound, path: settings.path, answerPath: settings.answerPath },
      'call server listening',
    );
    return bound;
  }

  let closed: Promise<void> | undefined;
  function close(): Promise<void> {
    closed ??= (async () => {
      closing = true;
      drainWait?.cancel();
      const deadline = Date.now() + settings.shutdownTimeoutMs;
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      const tcpStopped = new Promise<void>((resolve) =>
        tcpServer ? tcpServer.close(() => resolve()) : resolve(),
      );
      for (const refuse of [...identifying.values()]) refuse(1001, 'server shutting down', 'shutdown');
      // Calls still being set up become calls (and are ended, hang-up included) before we go on.
      await withDeadline(Promise.all(starting), settings.shutdownTimeoutMs);
      const ending = [...calls].map(async (call) => {
        await call.finish('server-closed');
        await call.handlerSettled;
      });
      await withDeadline(Promise.all(ending), Math.max(0, deadline - Date.now()));
      await withDeadline(
        Promise.all([...sockets].map((ws) => new Promise((resolve) => ws.once('close', resolve)))),
        refuseGraceMs,
      );
      for (const ws of sockets) ws.terminate();
      http.closeAllConnections();
      wss.close();
      await stopped;
      await tcpStopped;
      if (metricsServer) {
        const stopping = metricsServer;
        await new Promise<void>((resolve) => stopping.close(() => resolve()));
        stopping.closeAllConnections();
      }
      logger.info('call server closed');
    })();
    return closed;
  }

  let drained: Promise<void> | undefined;
  function drain(options: DrainOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? settings.drainTimeoutMs;
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
      throw new CallwireError('CONFIG', '[server] invalid drain options: timeoutMs: must be a number ≥ 0');
    }
    if (closed) return closed;
    drained ??= (async () => {
      draining = true;
      metrics?.setDraining(true);
      drainWait = waitForCallsToEnd({
        remaining: callsLeft,
        timeoutMs,
        progressIntervalMs: settings.drainProgressIntervalMs,
        logger,
      });
      await drainWait.done;
      await close();
    })();
    return drained;
  }

  return {
    listen,
    close,
    drain,
    readiness,
    metricsPort: () => (metricsServer?.listening ? boundPort(metricsServer, 0) : undefined),
    tcpPort: () => (tcpServer?.listening ? boundPort(tcpServer, 0) : undefined),
    metricsRegistry: metrics?.registry,
    stats: () => ({ sockets: sockets.size, calls: calls.size, identifying: identifying.size, upgrading }),
  };
}

/**
 * The registered carrier the `tcp` listener serves: `name` when given, else the only one that declares
 * `streamFraming`. A `CONFIG` error names `tcp.carrier` when there is none or the choice is ambiguous.
 */
function tcpCarrier(
  plugins: readonly CarrierPlugin<unknown, unknown>[],
  name: string | undefined,
): CarrierPlugin<unknown, unknown> {
  const framed = plugins.filter((plugin) => plugin.streamFraming);
  const chosen =
    name === undefined ? (framed.length === 1 ? framed[0] : undefined) : framed.find((p) => p.name === name);
  if (chosen) return chosen;
  const available = framed.map((plugin) => plugin.name).join(', ') || 'none registered';
  throw new CallwireError(
    'CONFIG',
    name === undefined
      ? `[server] invalid options: tcp.carrier: name one of the carriers that stream over TCP (${available})`
      : `[server] invalid options: tcp.carrier: ${name} is not a registered carrier that streams over TCP (${available})`,
  );
}

function listenOn(server: Server | TcpServer, port: number, host: string | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function boundPort(server: Server | TcpServer, fallback: number): number {
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : fallback;
}

function withDeadline(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

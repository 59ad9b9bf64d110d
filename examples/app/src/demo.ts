#!/usr/bin/env node
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServing } from '@callwire/cli';
import type { LogFn, Logger } from '@callwire/core';
import { mintStreamToken, streamUrlWithToken } from '@callwire/server';
import {
  type CarrierHarness,
  type DiscoveredCarrier,
  discoverCarriers,
  type FakeCarrierApi,
  type SimulateCallOptions,
  type SimulatorEvent,
  simulateAnsweredCall,
  simulateCall,
} from '@callwire/testing';
import { concatPcm, silence, tone, writeWav } from '@callwire/testing/audio';
import { ivrBot } from './ivr.js';

type Harness = CarrierHarness<unknown, unknown>;
type KeyPress = NonNullable<SimulateCallOptions['dtmf']>[number];

const defaultCarrier = 'plivo';
const callId = 'demo-call-0001';
const streamId = 'demo-stream-0001';
/** When the caller presses each key, in ms after its first media frame. */
const keyPresses = [
  { digit: '1', atMs: 900 },
  { digit: '2', atMs: 1800 },
  { digit: '#', atMs: 3000 },
] as const;
/** The whole demo must be over well within 30 s. */
const demoDeadlineMs = 20_000;
/** How long the server's hang-up request may take against the fake API. */
const hangUpTimeoutMs = 2000;

const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const packagesDirectory = join(repository, 'packages');
const outputDirectory = join(repository, 'demo-output');

const usage = `usage: pnpm demo [--carrier <name>]   (default: ${defaultCarrier})\n`;

/** `--carrier <name>` / `--carrier=<name>`; `undefined` for bad arguments. */
function parseArgs(args: readonly string[]): { carrier: string } | { help: true } | undefined {
  let carrier = defaultCarrier;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--carrier') {
      const value = args[index + 1];
      if (value === undefined || value.startsWith('-')) return undefined;
      carrier = value;
      index += 1;
    } else if (arg.startsWith('--carrier=')) {
      carrier = arg.slice('--carrier='.length);
    } else {
      return undefined;
    }
  }
  return carrier === '' ? undefined : { carrier };
}

const codecNames: Record<Harness['wireCodec'], string> = { mulaw: 'mu-law', alaw: 'A-law', l16: 'L16' };

/** `mu-law 8 kHz`, `L16 16 kHz`. */
function wireFormat(harness: Harness): string {
  return `${codecNames[harness.wireCodec]} ${harness.wireSampleRate / 1000} kHz`;
}

/** `Plivo`, `Twilio`. */
function title(name: string): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}

/** What the caller says: a few "syllables" of tone with pauses, about 4 s. */
function callerSpeech(sampleRate: number): Int16Array {
  const syllable = (frequencyHz: number, durationMs: number) =>
    tone({ frequencyHz, durationMs, sampleRate, amplitude: 0.3 });
  const pause = (durationMs: number) => silence({ durationMs, sampleRate });
  return concatPcm([
    syllable(330, 300),
    pause(150),
    syllable(392, 250),
    pause(400),
    syllable(294, 350),
    pause(600),
    syllable(440, 300),
    pause(1650),
  ]);
}

/** The keys the caller presses: all three when the carrier delivers them, else none (the caller hangs up). */
function keysFor(harness: Harness): readonly KeyPress[] {
  const { dtmf, dtmfDigits } = harness.supports;
  if (!dtmf) return [];
  const deliverable = keyPresses.filter((press) => dtmfDigits?.includes(press.digit) ?? true);
  return deliverable.some((press) => press.digit === '#') ? deliverable : [];
}

function createPrinter(startedAtMs: number) {
  return (who: string, text: string) => {
    const seconds = `+${((performance.now() - startedAtMs) / 1000).toFixed(2)}s`.padStart(7);
    process.stdout.write(`  ${seconds}  ${`[${who}]`.padEnd(12)} ${text}\n`);
  };
}

type Print = ReturnType<typeof createPrinter>;

/** Server and bot logs, as readable lines: info and up, plus hang-up outcomes. */
function demoLogger(print: Print): Logger {
  const method =
    (level: 'debug' | 'info' | 'warn' | 'error'): LogFn =>
    (fieldsOrMessage, message) => {
      const text = typeof fieldsOrMessage === 'string' ? fieldsOrMessage : (message ?? '');
      const fields = typeof fieldsOrMessage === 'string' ? {} : fieldsOrMessage;
      if (level === 'debug' && !/hung up|already ended/.test(text)) return;
      if (text === 'call server listening' || text === 'call server closed') return;
      const who = text.startsWith('ivr: ') ? 'bot' : 'server';
      const detail = [
        typeof fields.digit === 'string' ? `"${fields.digit}"` : '',
        typeof fields.checkpoint === 'string' ? `"${fields.checkpoint}"` : '',
        typeof fields.reason === 'string' ? `(${fields.reason})` : '',
        text === 'call started' ? `(carrier ${String(fields.carrier)}, call ${String(fields.callId)})` : '',
      ]
        .filter(Boolean)
        .join(' ');
      const prefix = level === 'warn' || level === 'error' ? `${level.toUpperCase()} ` : '';
      print(who, `${prefix}${text.replace(/^ivr: /, '')}${detail ? ` ${detail}` : ''}`);
    };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}

/** The `event` of an opening message (`start`, `connected`, `websocket:connected`), else `start`. */
function openingName(data: string | undefined): string {
  try {
    const event = (JSON.parse(data ?? '') as { event?: unknown } | null)?.event;
    return typeof event === 'string' ? event : 'start';
  } catch {
    return 'start';
  }
}

/** Prints the simulated caller's events, summarising the 50-a-second media frames. */
function callerPrinter(print: Print, harness: Harness): (event: SimulatorEvent) => void {
  const carrier = title(harness.plugin.name);
  let mediaSent = 0;
  let openings = 0;
  let lastAudioMs = Number.NEGATIVE_INFINITY;
  return (event) => {
    if (event.kind === 'sent' && event.event === 'media') {
      mediaSent += 1;
      if (mediaSent === 1)
        print('caller', `→ media flowing: 20 ms ${wireFormat(harness)} frames, in real time`);
      else if (mediaSent % 50 === 0)
        print('caller', `→ ${mediaSent} media frames sent (${mediaSent / 50} s of audio)`);
      return;
    }
    if (event.kind === 'received' && event.event === 'audio') {
      // One line per burst of audio from the bot, not one per 20 ms message.
      if (event.atMs - lastAudioMs > 250) print('caller', '← audio: hearing the bot');
      lastAudioMs = event.atMs;
      return;
    }
    if (event.kind === 'sent' && event.event === 'start') {
      // A carrier may open with several messages (Twilio's `connected`, then `start`): name each one.
      const announces =
        openings === 0 ? ` (${carrier} announces the call: call id, stream id, ${wireFormat(harness)})` : '';
      print('caller', `→ ${openingName(event.data)}${announces}`);
      openings += 1;
      return;
    }
    print('caller', event.text);
  };
}

/** The demo server's stream secret (a deployment sets its own in CALLWIRE_STREAM_SECRET). */
const DEMO_STREAM_SECRET = 'callwire-demo-stream-secret';
/** The public URL the demo server answers with (a deployment's tunnel URL, `PUBLIC_URL`). */
const DEMO_PUBLIC_URL = 'https://demo.callwire.test';

/** Prints each request the fake REST API answers, as it answers it. */
function watchApi(api: FakeCarrierApi, print: Print, who: string): () => void {
  let printed = 0;
  const timer = setInterval(() => {
    while (printed < api.requests.length) {
      const request = api.requests[printed];
      if (request?.responseStatus === undefined) return;
      const status = request.responseStatus;
      const meaning = status >= 200 && status < 300 ? 'call ended' : 'see status';
      print(who, `${request.method} ${request.path} → ${status} (${meaning})`);
      printed += 1;
    }
  }, 10);
  return () => clearInterval(timer);
}

/**
 * The environment `callwire serve` would read the carrier's options from (`PLIVO_AUTH_ID`, ...), built
 * from the harness's test options through the plugin's own `environment` map: the demo serves the way
 * `pnpm serve` does. Options with no variable (`hangUpTimeoutMs`) keep their defaults.
 */
function environmentFor(harness: Harness, options: unknown): Record<string, string> {
  const values = (options ?? {}) as Record<string, unknown>;
  const env: Record<string, string> = {};
  for (const [option, variable] of Object.entries(harness.plugin.environment ?? {})) {
    const value = values[option];
    if (typeof value === 'string' || typeof value === 'number') env[variable] = String(value);
  }
  return env;
}

/** Runs the demo; resolves with the exit code (0 when the whole call flow happened, 2 for bad arguments). */
export async function main(
  args: readonly string[] = [],
  _env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === undefined || 'help' in parsed) {
    (parsed ? process.stdout : process.stderr).write(usage);
    return parsed ? 0 : 2;
  }
  const carriers: DiscoveredCarrier[] = await discoverCarriers(packagesDirectory);
  const carrier = carriers.find((candidate) => candidate.name === parsed.carrier);
  const harness = carrier?.harnesses[0];
  if (!harness) {
    process.stderr.write(
      `unknown carrier "${parsed.carrier}"; known carriers: ${carriers.map((known) => known.name).join(', ')}\n${usage}`,
    );
    return 2;
  }
  if (harness.plugin.streamFraming) {
    // The simulator is a WebSocket caller; this carrier streams over plain TCP on a listener of its own.
    process.stderr.write(
      `${parsed.carrier} streams over TCP, not WebSocket: the demo cannot drive it. Its package's fake client does (see its README), and \`callwire serve --audiosocket-port N\` serves it.\n`,
    );
    return 2;
  }
  return runDemo(harness);
}

async function runDemo(harness: Harness): Promise<number> {
  const name = harness.plugin.name;
  const carrier = title(name);
  const apiName = `${name} api`;
  const print = createPrinter(performance.now());
  const api = harness.supports.hangUp ? await harness.startApi?.() : undefined;
  process.stdout.write(
    `\nCallwire demo: a simulated ${carrier} call to the ivr bot (${
      api ? `fake ${carrier} REST API: ` : ''
    }no account, no network)\n\n`,
  );
  if (api) print(apiName, `fake REST API listening on ${api.url}`);
  const stopWatching = api ? watchApi(api, print, apiName) : () => {};
  const options = harness.options({ apiUrl: api?.url ?? 'http://127.0.0.1:9', hangUpTimeoutMs });
  const serving = await startServing({
    handler: ivrBot,
    port: 0,
    host: '127.0.0.1',
    env: { ...(api ? environmentFor(harness, options) : {}), CALLWIRE_STREAM_SECRET: DEMO_STREAM_SECRET },
    // Carriers stream to wss:// only: the server answers as if behind a TLS tunnel at DEMO_PUBLIC_URL, and
    // the simulated carrier reaches it directly (as the tunnel would route it).
    publicUrl: DEMO_PUBLIC_URL,
    // The carrier's own answer document: its stream URL carries the call's stream token.
    ...(harness.answer && harness.plugin.answer ? { answerCarrier: name } : {}),
    logger: demoLogger(print),
  });
  const streamUrl = `ws://127.0.0.1:${serving.port}/stream`;
  const answerUrl = `http://127.0.0.1:${serving.port}/answer`;
  const answers = serving.answerCarrier === name && harness.answer !== undefined;
  print('server', `ivr bot listening on ${streamUrl}${answers ? ` (answer URL ${answerUrl})` : ''}`);

  const keys = keysFor(harness);
  const wireRate = harness.wireSampleRate;
  const deadline = new AbortController();
  const deadlineTimer = setTimeout(() => deadline.abort(), demoDeadlineMs);
  try {
    // The simulated carrier calls the answer URL first, as the real one does, and streams to the URL the
    // answer names (with its per-call token); a carrier with no answer flow gets a token minted for it.
    const callOptions = {
      harness,
      callId,
      streamId,
      audio: callerSpeech(wireRate),
      dtmf: keys,
      realTime: true,
      checkpoints: 'when-played' as const,
      onEvent: callerPrinter(print, harness),
      signal: deadline.signal,
    };
    const summary = answers
      ? await simulateAnsweredCall({
          ...callOptions,
          answerUrl,
          publicAnswerUrl: `${DEMO_PUBLIC_URL}/answer`,
          streamOrigin: `ws://127.0.0.1:${serving.port}`,
        })
      : await simulateCall({
          ...callOptions,
          url: streamUrlWithToken(
            streamUrl,
            mintStreamToken({ secret: DEMO_STREAM_SECRET, carrier: name, callId }),
          ),
        });
    await serving.server.close();
    await new Promise((resolve) => setTimeout(resolve, 30));
    stopWatching();

    await mkdir(outputDirectory, { recursive: true });
    const wavPath = join(outputDirectory, 'caller-heard.wav');
    await writeWav(wavPath, summary.receivedAudio, summary.sampleRate);
    const expected = harness.hangUpRequest;
    const hangUps =
      api && expected ? api.requests.filter((request) => request.method === expected.method) : [];
    const acked = summary.checkpoints.filter((checkpoint) => checkpoint.ackedAtMs !== undefined);
    const heardSeconds = (summary.receivedAudio.length / summary.sampleRate).toFixed(2);
    const hangUpLine = api
      ? `hang-up requests: ${hangUps.map((request) => `${request.method} ${request.responseStatus}`).join(', ') || 'none'}`
      : `no REST hang-up: ${name} ends calls by closing the stream`;
    process.stdout.write(
      [
        '',
        `Caller heard ${heardSeconds} s of audio: ${relative(process.cwd(), wavPath)}`,
        `Sent ${summary.sent.media} media frames and ${summary.sent.dtmf} keys; received ${summary.received.audio ?? 0} audio messages, ` +
          `${summary.checkpoints.length} checkpoint(s), ${acked.length} acknowledged; ${hangUpLine}; ` +
          `closed by the ${summary.closedBy} (${summary.closeCode}).`,
        '',
      ].join('\n'),
    );
    const endsByKey = keys.some((press) => press.digit === '#');
    const hungUpOverRest =
      hangUps.length === 1 &&
      hangUps[0]?.path === expected?.path(callId) &&
      (hangUps[0]?.responseStatus ?? 0) >= 200 &&
      (hangUps[0]?.responseStatus ?? 0) < 300;
    const problems = [
      ...(summary.receivedAudio.length === 0 ? ['the caller heard nothing'] : []),
      ...(harness.supports.checkpoint && keys.some((press) => press.digit === '2') && acked.length === 0
        ? ['no checkpoint was acknowledged']
        : []),
      ...(api && endsByKey && !hungUpOverRest ? ['the call was not hung up over REST'] : []),
      ...(endsByKey && summary.closedBy !== 'server' ? ['the bot did not end the call'] : []),
      ...summary.errors,
    ];
    if (problems.length > 0) {
      process.stderr.write(`demo FAILED: ${problems.join('; ')}\n`);
      return 1;
    }
    process.stdout.write('Demo OK.\n');
    return 0;
  } catch (error) {
    process.stderr.write(`demo FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    clearTimeout(deadlineTimer);
    stopWatching();
    await serving.server.close();
    await api?.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then((code) => setImmediate(() => process.exit(code)));
}

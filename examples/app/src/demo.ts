#!/usr/bin/env node
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServing } from '@callwire/cli';
import type { LogFn, Logger } from '@callwire/core';
import { startFakePlivoApi } from '@callwire/plivo/testing';
import { type FakeCarrierApi, type SimulatorEvent, simulatePlivoCall } from '@callwire/testing';
import { concatPcm, silence, tone, writeWav } from '@callwire/testing/audio';
import { ivrBot } from './ivr.js';

// Test credentials for the fake REST API only: nothing here reaches the network.
const demoAuthId = 'MADEMO00000000000000';
const demoAuthToken = 'demo-token-for-the-fake-api-only';
const wireRate = 8000;
/** When the caller presses each key, in ms after its first media frame. */
const keyPresses = [
  { digit: '1', atMs: 900 },
  { digit: '2', atMs: 1800 },
  { digit: '#', atMs: 3000 },
] as const;
/** The whole demo must be over well within 30 s. */
const demoDeadlineMs = 20_000;

const outputDirectory = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'demo-output');

/** What the caller says: a few "syllables" of tone with pauses, about 4 s at 8 kHz. */
function callerSpeech(): Int16Array {
  const syllable = (frequencyHz: number, durationMs: number) =>
    tone({ frequencyHz, durationMs, sampleRate: wireRate, amplitude: 0.3 });
  const pause = (durationMs: number) => silence({ durationMs, sampleRate: wireRate });
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

/** Prints the simulated caller's events, summarising the 50-a-second media frames. */
function callerPrinter(print: Print): (event: SimulatorEvent) => void {
  let mediaSent = 0;
  let lastPlayAudioMs = Number.NEGATIVE_INFINITY;
  return (event) => {
    if (event.kind === 'sent' && event.event === 'media') {
      mediaSent += 1;
      if (mediaSent === 1) print('caller', '→ media flowing: 20 ms mu-law frames, in real time');
      else if (mediaSent % 50 === 0)
        print('caller', `→ ${mediaSent} media frames sent (${mediaSent / 50} s of audio)`);
      return;
    }
    if (event.kind === 'received' && event.event === 'playAudio') {
      // One line per burst of audio from the bot, not one per 20 ms message.
      if (event.atMs - lastPlayAudioMs > 250) print('caller', '← playAudio: hearing the bot');
      lastPlayAudioMs = event.atMs;
      return;
    }
    if (event.kind === 'sent' && event.event === 'start') {
      print('caller', '→ start (Plivo announces the call: call id, stream id, mu-law 8 kHz)');
      return;
    }
    print('caller', event.text);
  };
}

/** Prints each request the fake Plivo API answers, as it answers it. */
function watchApi(api: FakeCarrierApi, print: Print): () => void {
  let printed = 0;
  const timer = setInterval(() => {
    while (printed < api.requests.length) {
      const request = api.requests[printed];
      if (request?.responseStatus === undefined) return;
      const meaning = request.responseStatus === 204 ? 'call ended' : 'see status';
      print('plivo api', `${request.method} ${request.path} → ${request.responseStatus} (${meaning})`);
      printed += 1;
    }
  }, 10);
  return () => clearInterval(timer);
}

/** Runs the demo; resolves with the exit code (0 when the whole call flow happened). */
export async function main(
  _args: readonly string[] = [],
  _env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const print = createPrinter(performance.now());
  process.stdout.write(
    '\nCallwire demo: a simulated Plivo call to the ivr bot (fake Plivo REST API: no account, no network)\n\n',
  );
  const api = await startFakePlivoApi({ authId: demoAuthId, authToken: demoAuthToken });
  print('plivo api', `fake REST API listening on ${api.url}`);
  const stopWatching = watchApi(api, print);
  const serving = await startServing({
    handler: ivrBot,
    port: 0,
    host: '127.0.0.1',
    env: { PLIVO_AUTH_ID: demoAuthId, PLIVO_AUTH_TOKEN: demoAuthToken, PLIVO_API_BASE_URL: api.url },
    logger: demoLogger(print),
  });
  const streamUrl = `ws://127.0.0.1:${serving.port}/stream`;
  print('server', `ivr bot listening on ${streamUrl} (answer URL http://127.0.0.1:${serving.port}/answer)`);

  const deadline = new AbortController();
  const deadlineTimer = setTimeout(() => deadline.abort(), demoDeadlineMs);
  try {
    const summary = await simulatePlivoCall({
      url: streamUrl,
      callId: 'demo-call-0001',
      streamId: 'demo-stream-0001',
      accountId: demoAuthId,
      audio: callerSpeech(),
      dtmf: keyPresses,
      realTime: true,
      onEvent: callerPrinter(print),
      signal: deadline.signal,
    });
    await serving.server.close();
    await new Promise((resolve) => setTimeout(resolve, 30));
    stopWatching();

    await mkdir(outputDirectory, { recursive: true });
    const wavPath = join(outputDirectory, 'caller-heard.wav');
    await writeWav(wavPath, summary.receivedAudio, wireRate);
    const hangUps = api.requests.filter((request) => request.method === 'DELETE');
    const acked = summary.checkpoints.filter((checkpoint) => checkpoint.ackedAtMs !== undefined);
    const heardSeconds = (summary.receivedAudio.length / wireRate).toFixed(2);
    process.stdout.write(
      [
        '',
        `Caller heard ${heardSeconds} s of audio: ${relative(process.cwd(), wavPath)}`,
        `Sent ${summary.sent.media} media frames and ${summary.sent.dtmf} keys; received ${summary.received.playAudio ?? 0} playAudio, ` +
          `${summary.checkpoints.length} checkpoint(s), ${acked.length} acknowledged; ` +
          `hang-up requests: ${hangUps.map((request) => request.responseStatus).join(', ') || 'none'}; ` +
          `closed by the ${summary.closedBy} (${summary.closeCode}).`,
        '',
      ].join('\n'),
    );
    const problems = [
      ...(summary.receivedAudio.length === 0 ? ['the caller heard nothing'] : []),
      ...(acked.length === 0 ? ['no checkpoint was acknowledged'] : []),
      ...(hangUps.length !== 1 || hangUps[0]?.responseStatus !== 204
        ? ['the call was not hung up over REST']
        : []),
      ...(summary.closedBy !== 'server' ? ['the bot did not end the call'] : []),
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
    await api.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then((code) => setImmediate(() => process.exit(code)));
}

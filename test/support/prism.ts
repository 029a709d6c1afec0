// Starts Prism mock servers on Twilio's official OpenAPI descriptions so the real twilio SDK can
// be pointed at them through TWILIO_API_OVERRIDE.
//
// No `--errors`: Prism validates requests without it (an invalid request gets a 422 problem
// document, a missing Authorization a 401). With it, Prism also validates its own responses, and
// Twilio's list examples fail that (relative `uri`/`first_page_uri` against `format: uri`), so every
// list call would come back 500.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import twilio from 'twilio';
import type SdkRequestClient from 'twilio/lib/base/RequestClient.js';
import type * as SdkResponseModule from 'twilio/lib/http/response.js';
import { OverridingRequestClient, parseApiOverride } from '../../src/numbers/twilio/client.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const prismBin = path.join(repoRoot, 'node_modules', '.bin', 'prism');

export const TWILIO_SPECS = {
  api: 'twilio_api_v2010.json',
  lookups: 'twilio_lookups_v2.json',
} as const;

export type TwilioSpec = keyof typeof TWILIO_SPECS;

export interface PrismServer {
  baseUrl: string;
  stop(): Promise<void>;
}

export interface TwilioPrism {
  api: PrismServer;
  lookups: PrismServer;
  /** Ready to pass as TWILIO_API_OVERRIDE. */
  apiOverride: string;
  stop(): Promise<void>;
}

type SdkResponse<T> = SdkResponseModule.default<T>;

/** Test credentials Prism accepts: it checks that Basic auth is present and the sid's pattern. */
export const PRISM_ACCOUNT_SID = `AC${'a'.repeat(32)}`;
export const PRISM_AUTH_TOKEN = 'prism-auth-token';

/**
 * Prism answers every list with a static example whose `next_page_uri` points at a request the
 * description itself rejects (`StartTime=2008-01-02` against `format: date-time`), and would loop
 * if it did not. Lists through this client end after their first page; the first request is still
 * the SDK's own and still validated.
 */
export class FirstPageOnlyRequestClient extends OverridingRequestClient {
  /** Every request the SDK made, in order: tests check a sequence, not only the last one. */
  readonly sent: Array<{ method: string; path: string; params: Record<string, unknown>; data: Record<string, unknown> }> = [];

  override async request<TData>(opts: SdkRequestClient.RequestOptions<TData>): Promise<SdkResponse<TData>> {
    this.sent.push({
      method: opts.method.toUpperCase(), path: new URL(opts.uri).pathname,
      params: { ...(opts.params as object) }, data: { ...(opts.data as object) },
    });
    const response = await super.request(opts);
    const body = response.body as unknown;
    if (body !== null && typeof body === 'object' && 'next_page_uri' in body) {
      return { ...response, body: { ...body, next_page_uri: null } } as typeof response;
    }
    return response;
  }
}

/** The real twilio SDK, aimed at both Prism servers. */
export function twilioClientForPrism(prism: TwilioPrism): twilio.Twilio {
  const httpClient = new FirstPageOnlyRequestClient(parseApiOverride(prism.apiOverride), { timeout: 10_000 });
  return twilio(PRISM_ACCOUNT_SID, PRISM_AUTH_TOKEN, { httpClient });
}

/** TWILIO_OAI_DIR, or `<repo>/../shared/twilio-oai`; relative values resolve from the repo root. */
export function twilioOaiDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(repoRoot, env.TWILIO_OAI_DIR ?? path.join('..', 'shared', 'twilio-oai'));
}

/** Both Twilio descriptions, started side by side. */
export async function startTwilioPrism(): Promise<TwilioPrism> {
  const started = await Promise.allSettled([startPrism('api'), startPrism('lookups')]);
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure !== undefined) {
    await Promise.all(servers.map((server) => server.stop()));
    throw failure.reason;
  }
  const [api, lookups] = servers as [PrismServer, PrismServer];
  return {
    api,
    lookups,
    apiOverride: `api=${api.baseUrl},lookups=${lookups.baseUrl}`,
    stop: async () => {
      await Promise.all([api.stop(), lookups.stop()]);
    },
  };
}

export async function startPrism(spec: TwilioSpec, options: { timeoutMs?: number } = {}): Promise<PrismServer> {
  const specPath = path.join(twilioOaiDir(), TWILIO_SPECS[spec]);
  if (!existsSync(specPath)) {
    throw new Error(`Twilio OpenAPI description not found at ${specPath}; set TWILIO_OAI_DIR`);
  }
  // A port picked by listening on 0 can be taken before Prism binds it; try a fresh one then.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(specPath, await freePort(), options.timeoutMs ?? 30_000);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof PortTakenError)) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(specPath: string, port: number, timeoutMs: number): Promise<PrismServer> {
  const child = spawn(prismBin, ['mock', '-h', '127.0.0.1', '-p', String(port), specPath], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = tail(child);
  let spawnError: Error | undefined;
  child.on('error', (error) => {
    spawnError = error;
  });
  const stop = (): Promise<void> => stopChild(child);
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(baseUrl, () => spawnError ?? exited(child), timeoutMs);
  } catch (error) {
    await stop();
    process.off('exit', killOnExit);
    const log = output();
    if (log.includes('EADDRINUSE')) throw new PortTakenError(log);
    throw new Error(`Prism on ${path.basename(specPath)} did not start: ${(error as Error).message}\n${log}`);
  }
  return {
    baseUrl,
    stop: async () => {
      await stop();
      process.off('exit', killOnExit);
    },
  };
}

function exited(child: ChildProcess): Error | undefined {
  if (child.exitCode === null && child.signalCode === null) return undefined;
  return new Error(`prism exited (${child.exitCode ?? child.signalCode})`);
}

async function waitUntilAnswering(
  baseUrl: string,
  failure: () => Error | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const failed = failure();
    if (failed !== undefined) throw failed;
    try {
      // Any HTTP answer (Prism says 404 for `/`) means the mock is serving.
      await fetch(baseUrl, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`no answer within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || exited(child) !== undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 2_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Keeps the last lines Prism printed, for a useful error when it fails to start. */
function tail(child: ChildProcess, maxLines = 40): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - maxLines));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not pick a free port'));
      });
    });
  });
}

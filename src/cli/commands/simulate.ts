import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import type { TwilioSimulator } from '../../telephony/simulator.ts';
import { z } from 'zod';
import { cliConfig, flags, intFlag } from '../context.ts';

async function e164(label: string, v: string): Promise<string> {
  const { parsePhoneNumberWithError } = await import('libphonenumber-js');
  try {
    const n = parsePhoneNumberWithError(v);
    if (!n.isPossible()) throw new Error('not a possible number');
    return n.number;
  } catch (err) {
    throw new AppError('invalid-request', `${label}: "${v}" is not a phone number in +E.164 form (${(err as Error).message})`);
  }
}

/** A request that never reached a tracer says where it looked and how to start one, not "fetch failed". */
function unreachable(url: string) {
  return (err: unknown): never => {
    if (err instanceof TypeError && /fetch failed/.test(err.message)) {
      const why = (err.cause as { code?: string; message?: string } | undefined);
      throw new AppError('server-unreachable', `no tracer server at ${url}: start one with \`tracer serve\`${why?.code ? '' : ` (${why?.message ?? err.message})`}`);
    }
    throw err;
  };
}

async function simulator(o: { url?: string }): Promise<{ sim: TwilioSimulator; url: string }> {
  const config = await cliConfig();
  const { TwilioSimulator } = await import('../../telephony/simulator.ts');
  const url = o.url ?? `http://127.0.0.1:${config.port}`;
  const sim = new TwilioSimulator({
    sendTo: url,
    publicBaseUrl: config.publicBaseUrl,
    authToken: config.twilioAuthToken,
    accountSid: config.twilioAccountSid,
  });
  return { sim, url };
}

function report(kind: string, r: { status: number; body: string; sid: string }, json = false): void {
  if (r.status >= 300) throw new AppError('simulate-failed', `${kind} ${r.sid}: the tracer answered ${r.status}: ${r.body.slice(0, 200)}`);
  process.stdout.write(json ? `${JSON.stringify({ kind, sid: r.sid, status: r.status, body: r.body })}\n` : `${kind} ${r.sid}: ${r.status}\n${r.body}\n`);
}

export function registerSimulateCommands(program: Command): void {
  const simulate = program
    .command('simulate')
    .description('send a webhook to a running tracer, signed exactly as Twilio signs it');
  simulate
    .command('call')
    .description('an inbound call')
    .requiredOption('--to <number>', 'the canary number called (E.164)')
    .requiredOption('--from <number>', 'the caller (E.164)')
    .option('--caller-name <name>', 'CNAM the caller shows')
    .option('--duration <seconds>', 'also send a completed status callback', undefined)
    .option('--url <url>', 'where the tracer listens (default http://127.0.0.1:$PORT)')
    .option('--json', 'print JSON lines: {kind, sid, status, body}')
    .action(async (opts) => {
      const o = flags(z.strictObject({ to: z.string(), from: z.string(), callerName: z.string().max(200).optional(), duration: intFlag(0, 86_400).optional(),
        url: z.url().optional(), json: z.boolean().optional() }), opts);
      const { sim, url } = await simulator(o);
      const to = await e164('--to', o.to);
      const from = await e164('--from', o.from);
      const r = await sim.call({ to, from, callerName: o.callerName }).catch(unreachable(url));
      report('call', r, o.json);
      if (o.duration !== undefined) {
        report('status', await sim.callStatus({ callSid: r.sid, to, from, status: 'completed', durationSeconds: o.duration }).catch(unreachable(url)), o.json);
      }
    });
  simulate
    .command('sms')
    .description('an inbound SMS')
    .requiredOption('--to <number>', 'the canary number (E.164)')
    .requiredOption('--from <number>', 'the sender (E.164)')
    .requiredOption('--body <text>', 'the message')
    .option('--url <url>', 'where the tracer listens')
    .option('--json', 'print JSON: {kind, sid, status, body}')
    .action(async (opts) => {
      const o = flags(z.strictObject({ to: z.string(), from: z.string(), body: z.string().max(1600), url: z.url().optional(), json: z.boolean().optional() }), opts);
      const { sim, url } = await simulator(o);
      report('sms', await sim.sms({ to: await e164('--to', o.to), from: await e164('--from', o.from), body: o.body }).catch(unreachable(url)), o.json);
    });
}

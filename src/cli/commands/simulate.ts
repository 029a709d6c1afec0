import type { Command } from 'commander';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { AppError } from '../../errors.ts';
import { TwilioSimulator } from '../../telephony/simulator.ts';
import { cliConfig } from '../context.ts';

function e164(label: string, v: string): string {
  try {
    const n = parsePhoneNumberWithError(v);
    if (!n.isPossible()) throw new Error('not a possible number');
    return n.number;
  } catch (err) {
    throw new AppError('invalid-request', `${label}: "${v}" is not a phone number in +E.164 form (${(err as Error).message})`);
  }
}

function simulator(o: { url?: string }): TwilioSimulator {
  const config = cliConfig();
  return new TwilioSimulator({
    sendTo: o.url ?? `http://127.0.0.1:${config.port}`,
    publicBaseUrl: config.publicBaseUrl,
    authToken: config.twilioAuthToken,
    accountSid: config.twilioAccountSid,
  });
}

function report(kind: string, r: { status: number; body: string; sid: string }): void {
  if (r.status >= 300) throw new AppError('simulate-failed', `${kind} ${r.sid}: the tracer answered ${r.status}: ${r.body.slice(0, 200)}`);
  process.stdout.write(`${kind} ${r.sid}: ${r.status}\n${r.body}\n`);
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
    .option('--duration <seconds>', 'also send a completed status callback', (v) => Number.parseInt(v, 10))
    .option('--url <url>', 'where the tracer listens (default http://127.0.0.1:$PORT)')
    .action(async (o) => {
      const sim = simulator(o);
      const to = e164('--to', o.to);
      const from = e164('--from', o.from);
      const r = await sim.call({ to, from, callerName: o.callerName });
      report('call', r);
      if (o.duration !== undefined) report('status', await sim.callStatus({ callSid: r.sid, to, from, status: 'completed', durationSeconds: o.duration }));
    });
  simulate
    .command('sms')
    .description('an inbound SMS')
    .requiredOption('--to <number>', 'the canary number (E.164)')
    .requiredOption('--from <number>', 'the sender (E.164)')
    .requiredOption('--body <text>', 'the message')
    .option('--url <url>', 'where the tracer listens')
    .action(async (o) => {
      report('sms', await simulator(o).sms({ to: e164('--to', o.to), from: e164('--from', o.from), body: o.body }));
    });
}

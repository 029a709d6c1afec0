// Evidence checkpoints sent to the alert outputs that name them: a local HTTP receiver for the
// webhook and a real SMTP server (smtp-server) for mail, each message parsed back. What arrives is
// the signed checkpoint itself: written to a file, verify accepts it as a checkpoint of this log.
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointSchema, checkpointSignedBy } from '../../src/evidence/checkpoints.ts';
import { alertsFixture, drain, startReceiver, type AlertsFixture, type Receiver } from './support.ts';

let f: AlertsFixture;
let receiver: Receiver;
let smtp: SMTPServer;
let mails: ParsedMail[];

beforeEach(async () => {
  mails = [];
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _session, cb) {
      simpleParser(stream).then((mail) => {
        mails.push(mail);
        cb();
      }, cb);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  receiver = await startReceiver();
  f = await alertsFixture({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'tracer@utility.example', SMTP_REQUIRE_TLS: 'false' });
});
afterEach(async () => {
  await f.app.dispose();
  await receiver.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('evidence checkpoints sent to alert outputs', () => {
  it('when a checkpoint is written, then outputs that name evidence-checkpoint receive it signed, and the others do not', async () => {
    await f.addOutput({ kind: 'webhook', name: 'anchor', url: `${receiver.url}/anchor`, events: ['evidence-checkpoint'] });
    await f.addOutput({ kind: 'email', name: 'anchor mail', to: 'anchor@utility.example', events: ['evidence-checkpoint'] });
    await f.addOutput({ kind: 'webhook', name: 'hits only', url: `${receiver.url}/hits` });
    await f.addOutput({ kind: 'webhook', name: 'everything', url: `${receiver.url}/all`, events: undefined, minSeverity: 'info' }); // every kind
    await f.call('+966512345678');
    await drain(f.app);
    receiver.received.length = 0;

    const { checkpoint, written } = f.app.services.evidenceService.checkpoint({ force: true });
    expect(written).toBe(true);
    await drain(f.app);

    expect(receiver.received.map((r) => r.path)).toEqual(['/hook/anchor']);
    const body = receiver.received[0]!.json;
    expect(body).toMatchObject({ event: 'evidence-checkpoint', severity: 'info', checkpoint });
    const sent = checkpointSchema.parse(body.checkpoint);
    expect(sent).toMatchObject({ seq: f.app.services.evidence.head().seq, hash: f.app.services.evidence.head().hash });
    expect(checkpointSignedBy(sent, f.app.services.evidenceService.instanceKey().publicKeyPem)).toBe(true);
    expect(body.summary).toContain(sent.signature);

    // The mail carries the same line, ready for a checkpoint file.
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(JSON.stringify(checkpoint));
    expect(mails[0]!.text).toContain(`entry ${checkpoint.seq}, head ${checkpoint.hash}`);

    // What left the instance anchors the log even once the local checkpoint file is gone.
    fs.rmSync(f.app.services.evidenceService.checkpointFile);
    const file = path.join(f.app.dir, 'received-anchor.jsonl');
    fs.writeFileSync(file, `${JSON.stringify(body.checkpoint)}\n`);
    expect(f.app.services.evidenceService.verify([file]).checkpoints).toEqual({ given: 1, matched: 1 });
  });

  it('when the head is already anchored, then a scheduled checkpoint writes and sends nothing', async () => {
    await f.addOutput({ kind: 'webhook', name: 'anchor', url: receiver.url, events: ['evidence-checkpoint'] });
    f.app.services.evidenceService.checkpoint();
    await drain(f.app);
    expect(receiver.received).toHaveLength(1);
    expect(f.app.services.evidenceService.checkpoint().written).toBe(false);
    await drain(f.app);
    expect(receiver.received).toHaveLength(1);
  });
});

describe('the server checkpoints at stop', () => {
  it('when the server stops, then its last checkpoint reaches the outputs before the store closes', async () => {
    const { startServer } = await import('../../src/server.ts');
    const { loadConfig } = await import('../../src/config.ts');
    const { createLogger } = await import('../../src/log.ts');
    const { AUTH_TOKEN, tempDir } = await import('../support/app.ts');
    const dir = tempDir('tracer-stop-');
    const config = loadConfig({
      TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL: 'https://tracer.example.org', TRACER_DB: path.join(dir, 'tracer.db'), UTILITY_DB: path.join(dir, 'u.db'),
      UTILITY_SAMPLE_CUSTOMERS: '20', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', OUTBOUND_ALLOWLIST: '127.0.0.1', EVIDENCE_CHECKPOINT_MINUTES: '60',
    });
    const running = await startServer({ config, logger: createLogger('silent') });
    await running.app.services.alerts.add({ kind: 'webhook', name: 'anchor', url: receiver.url, events: ['evidence-checkpoint'] });
    running.app.services.channels.create({ name: 'A', kind: 'crm' }); // the head moves
    await running.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(receiver.received.map((r) => r.json?.event)).toEqual(['evidence-checkpoint']);
  });
});

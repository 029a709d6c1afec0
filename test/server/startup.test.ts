import path from 'node:path';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { openTracerDb } from '../../src/store/db.ts';
import { SimulatedProvider } from '../../src/numbers/simulated-provider.ts';
import type { ProviderCall } from '../../src/numbers/provider.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { AUTH_TOKEN, PUBLIC_BASE_URL, tempDir } from '../support/app.ts';

const HELD = 2_000;

/** A store holding HELD ready numbers, as after months of provisioning. */
function storeWithHeldNumbers(file: string) {
  const db = openTracerDb(file);
  const insert = db.prepare(`INSERT INTO canary_numbers (id, phone_number, country, provider, provider_sid, status, created_at, backfilled_until)
                             VALUES (?, ?, 'US', 'simulated', ?, 'ready', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`);
  db.transaction(() => {
    for (let i = 0; i < HELD; i++) insert.run(`num_${i}`, `+1202${String(5_000_000 + i).padStart(7, '0')}`, `PN${String(i).padStart(32, '0')}`);
  })();
  db.close();
}

/** The simulator, with the account's call log held shut until the test opens it. */
class GatedProvider extends SimulatedProvider {
  listed = 0;
  open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  override async listCalls(to: string, since: string | null): Promise<ProviderCall[]> {
    this.listed++;
    if (this.listed === 1) await this.gate;
    return super.listCalls(to, since);
  }
}

describe('a restart serves at once', () => {
  let running: RunningServer | undefined;
  let dir = '';
  afterEach(async () => {
    await running?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when the store holds many numbers and the reconcile is still running, then the server listens before any start-up work begins, /healthz answers, and the reconcile then finishes every number', async () => {
    dir = tempDir('tracer-startup-');
    const file = path.join(dir, 'tracer.db');
    storeWithHeldNumbers(file);
    const config = loadConfig({
      TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL, PORT: '0', TRACER_DB: file, UTILITY_DB: path.join(dir, 'u.db'),
      UTILITY_SAMPLE_CUSTOMERS: '10', LOG_LEVEL: 'silent', EVIDENCE_CHECKPOINT_MINUTES: '0',
    });
    const db = new Database(file, { readonly: true });
    const owned = (db.prepare('SELECT provider_sid, phone_number FROM canary_numbers').all() as Array<{ provider_sid: string; phone_number: string }>)
      .map((r) => ({ providerSid: r.provider_sid, phoneNumber: r.phone_number, friendlyName: '', webhooks: {
        voiceUrl: `${PUBLIC_BASE_URL}/twilio/voice`, smsUrl: `${PUBLIC_BASE_URL}/twilio/sms`, statusCallback: `${PUBLIC_BASE_URL}/twilio/status` } }));
    const provider = new GatedProvider({ ranges: [{ country: 'US', from: '+12025000000', to: '+12025099999' }], owned, bundleRequiredCountries: [] });
    running = await startServer({ config, logger: createLogger('silent'), numberProvider: provider });
    expect(provider.listed).toBe(0); // listening before any start-up work has begun

    const health = await fetch(`${running.url}/healthz`);
    expect(health.status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    expect(provider.listed).toBe(1); // reconcile has started and is held at its first number

    provider.open();
    const cursorsMoved = () => db.prepare("SELECT count(*) FROM canary_numbers WHERE backfilled_until > '2026-11-02'").pluck().get() as number;
    for (let i = 0; i < 600 && cursorsMoved() < HELD; i++) await new Promise((r) => setTimeout(r, 50));
    expect(cursorsMoved()).toBe(HELD);
    db.close();
  }, 60_000);
});

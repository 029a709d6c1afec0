// `tracer doctor`: every part checked as it will be used, with what to fix.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';

let app: TestApp | undefined;
let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await app?.dispose();
  server = undefined;
});

async function listening(port = 0): Promise<number> {
  server = createServer((req, res) => app!.http(req, res)).listen(port, '127.0.0.1');
  await new Promise((r) => server!.once('listening', r));
  return (server!.address() as AddressInfo).port;
}

describe('tracer doctor', () => {
  it('when the public URL reaches this tracer with the same token, then every check passes', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => probe.once('listening', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    app = buildTestApp({ env: { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` } });
    await listening(port);
    const findings = await runDoctor(app);
    expect(findings.filter((f) => !f.ok)).toEqual([]);
    expect(findings.map((f) => f.check)).toEqual(['configuration', 'store', 'target utility-sample', 'provider account', 'public URL']);
  });

  it('when the public URL is not what the server signs against, then the check fails with the 403 and names PUBLIC_BASE_URL', async () => {
    app = buildTestApp();
    const port = await listening();
    // Twilio would call this URL, but the server checks signatures against https://tracer.example.org.
    const other = buildTestApp({ env: { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` } });
    const findings = await runDoctor(other);
    await other.dispose();
    const url = findings.find((f) => f.check === 'public URL')!;
    expect(url.ok).toBe(false);
    expect(url.detail).toContain('403');
    expect(url.fix).toContain('PUBLIC_BASE_URL');
  });

  it('when nothing listens at the public URL, then the check fails and says to start the server', async () => {
    app = buildTestApp({ env: { PUBLIC_BASE_URL: 'http://127.0.0.1:1' } });
    const url = (await runDoctor(app)).find((f) => f.check === 'public URL')!;
    expect(url.ok).toBe(false);
    expect(url.fix).toContain('tracer serve');
  });
});

// Child process for the `alerts` bench section: the real tracer (webhooks, outbox drain after each
// commit) on a temp store, with canaries to call and one signed webhook output pointed at the
// bench's receiver on loopback (allow-listed, as an admin would).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracer-bench-alerts-'));
const port = Number(process.env.BENCH_PORT);
const config = loadConfig({
  TWILIO_AUTH_TOKEN: process.env.BENCH_AUTH_TOKEN!, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'error',
  TRACER_DB: path.join(dir, 'tracer.db'), UTILITY_DB: path.join(dir, 'utility.db'), UTILITY_SAMPLE_CUSTOMERS: '200',
  OUTBOUND_ALLOWLIST: '127.0.0.1',
});
const running = await startServer({ config });
const { services } = running.app;
const ch = services.channels.create({ name: 'Bench channel', kind: 'call-centre-vendor' });
const canaries = await services.canaries.create({ channelIds: [ch.id], count: 20 });
// Throttle off: the bench times every hit's own alert.
const output = await services.alerts.add({ kind: 'webhook', name: 'bench receiver', url: process.env.BENCH_RECEIVER_URL!, throttleMinutes: 0 });
const admin = services.tokens.create({ role: 'admin', label: 'bench' }).token;
process.stdout.write(`READY ${JSON.stringify({ url: running.url, numbers: canaries.map((c) => c.phoneNumber), secret: output.secret, outputId: output.id, admin })}\n`);
process.on('SIGTERM', async () => {
  const hits = services.db.prepare('SELECT count(*) FROM hits').pluck().get() as number;
  const attempts = services.db.prepare("SELECT outcome, count(*) AS n FROM alert_deliveries GROUP BY outcome").all();
  process.stdout.write(`DONE ${JSON.stringify({ hits, attempts })}\n`);
  await running.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});

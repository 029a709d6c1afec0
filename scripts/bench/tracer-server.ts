// Child process for `npm run bench`: the real tracer on a temp store, with canaries to call.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracer-bench-'));
const token = process.env.BENCH_AUTH_TOKEN!;
const port = Number(process.env.BENCH_PORT);
const config = loadConfig({
  TWILIO_AUTH_TOKEN: token, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn',
  TRACER_DB: path.join(dir, 'tracer.db'), UTILITY_DB: path.join(dir, 'utility.db'), UTILITY_SAMPLE_CUSTOMERS: '200',
});
const running = await startServer({ config });
const { services } = running.app;
const ch = services.channels.create({ name: 'Bench channel', kind: 'call-centre-vendor' });
const canaries = await services.canaries.create({ channelIds: [ch.id], count: 20 });
const cpuAtReady = process.cpuUsage();
process.stdout.write(`READY ${JSON.stringify({ url: running.url, numbers: canaries.map((c) => c.phoneNumber) })}\n`);
process.on('SIGTERM', async () => {
  const hits = services.db.prepare('SELECT count(*) FROM hits').pluck().get() as number;
  const cpu = process.cpuUsage(cpuAtReady);
  process.stdout.write(`DONE ${JSON.stringify({ requests: hits, cpuMicros: cpu.user + cpu.system })}\n`);
  await running.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});

// The tracer as a drill's child process: its own store in DRILL_DIR, a fixed port once chosen
// (so a restart after kill -9 listens where Twilio would call), canaries seeded on first start.
import fs from 'node:fs';
import path from 'node:path';
import { createServer } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '../../src/server.ts';
import { drillConfig } from './support.ts';

const dir = process.env.DRILL_DIR!;
const portFile = path.join(dir, 'port');
const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});
const port = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8')) : await freePort();
fs.writeFileSync(portFile, String(port));
const config = drillConfig(dir, { PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'error', TWILIO_AUTH_TOKEN: process.env.DRILL_AUTH_TOKEN! });
// The report thread's start-up fold runs at once, inside the drills' settling time, not in the middle of what they measure.
const running = await startServer({ config, reportWarmUpMs: 0 });
const { services } = running.app;
const seed = Number(process.env.DRILL_SEED ?? 0);
let numbers = (services.db.prepare("SELECT phone_number FROM canary_numbers WHERE status = 'assigned'").pluck().all() as string[]);
if (seed > 0 && numbers.length === 0) {
  const ch = services.channels.create({ name: 'Drill channel', kind: 'call-centre-vendor' });
  numbers = (await services.canaries.create({ channelIds: [ch.id], count: seed })).map((c) => c.phoneNumber);
}
process.stdout.write(`READY ${JSON.stringify({ url: running.url, numbers })}\n`);
// DRILL_LOOP_DELAY=1: the event loop's delay over the child's life, on stderr at stop (is a slow
// genuine call the server's loop, or the machine?).
const loop = process.env.DRILL_LOOP_DELAY === '1' ? monitorEventLoopDelay({ resolution: 5 }) : null;
loop?.enable();
process.on('SIGTERM', () => {
  if (loop) {
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    process.stderr.write(`event-loop delay: p50 ${ms(loop.percentile(50))} ms, p99 ${ms(loop.percentile(99))} ms, max ${ms(loop.max)} ms\n`);
  }
  void running.stop().then(() => process.exit(0));
});

// kill -9 under load: signed calls stream in; the tracer is killed mid-flight, restarted on the
// same store, again and again. Every call answered 200 must be stored, once; the evidence verifies.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { callParams, childTracer, postSigned, tempDir, type DrillOptions, type DrillResult } from './support.ts';

export async function run(o: DrillOptions): Promise<DrillResult> {
  const kills = o.trim ? 3 : 20;
  const dir = tempDir('tracer-drill-kill9-');
  const acknowledged = new Set<string>();
  let sent = 0;
  let tracer = await childTracer(dir, { seed: 5 });
  const numbers = tracer.numbers;
  for (let k = 0; k < kills; k++) {
    let stop = false;
    const workers = Array.from({ length: 16 }, async () => {
      while (!stop) {
        const p = callParams(numbers[sent % numbers.length]!, `+9665011${String(sent % 100_000).padStart(5, '0')}`);
        sent++;
        try {
          if ((await postSigned(tracer.url, tracer.url, '/twilio/voice', p)) === 200) acknowledged.add(p.CallSid!);
        } catch {
          // The connection died with the process: not acknowledged, so Twilio would retry.
        }
      }
    });
    await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 500)));
    await tracer.kill9();
    stop = true;
    await Promise.all(workers);
    tracer = await childTracer(dir);
  }
  await tracer.stop();
  const db = new Database(path.join(dir, 'tracer.db'), { readonly: true });
  const has = db.prepare('SELECT count(*) FROM hits WHERE provider_sid = ?').pluck();
  const lost = [...acknowledged].filter((sid) => has.get(sid) !== 1).length;
  const stored = db.prepare('SELECT count(*) FROM hits').pluck().get() as number;
  db.close();
  const { createApp } = await import('../../src/app.ts');
  const { drillConfig } = await import('./support.ts');
  const { createLogger } = await import('../../src/log.ts');
  const app = createApp({ config: drillConfig(dir), logger: createLogger('silent') });
  const verify = app.services.evidenceService.verify();
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    ok: lost === 0 && verify.ok,
    figure: `${lost} of ${acknowledged.size} acknowledged webhooks lost over ${kills} kill -9 under load (${sent} sent, ${stored} stored); evidence ${verify.ok ? 'verifies' : `BROKEN: ${verify.firstProblem?.message}`}`,
  };
}

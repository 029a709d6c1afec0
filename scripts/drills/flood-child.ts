// The forgery flood as its own process: real Twilio (and a real attacker) is another machine, so
// the flooder's event loop must not queue the genuine client's calls in the drill's process.
// Takes its job as JSON on argv[2]; sends autocannon's totals back over IPC and exits.
import autocannon from 'autocannon';

const job = JSON.parse(process.argv[2]!) as {
  url: string; rate: number; seconds: number; connections: number; headers: Record<string, string>; body: string;
};
const result = await autocannon({
  url: job.url, method: 'POST', connections: job.connections, pipelining: 1, duration: job.seconds, overallRate: job.rate,
  headers: job.headers, body: job.body,
});
const cpu = process.cpuUsage();
process.send!({
  total: result.requests.total, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
  statusCodes: result.statusCodeStats, cpuMs: Math.round((cpu.user + cpu.system) / 1000),
}, () => process.exit(0));

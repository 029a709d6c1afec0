// Child process for `npm run bench`: the floor — node:http reading the body and answering the
// same TwiML, with no signature check and no storage.
import http from 'node:http';
import twilio from 'twilio';

const response = new twilio.twiml.VoiceResponse();
response.say({ voice: 'Polly.Zeina' as any, language: 'arb' as any }, 'السلام عليكم، ما أقدر أرد عليك الحين. بتصل عليك بأقرب وقت إن شاء الله.');
response.hangup();
const twiml = response.toString();
let requests = 0;
let cpuAtReady = process.cpuUsage();
const server = http.createServer((req, res) => {
  requests++;
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
    res.end(twiml);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.BENCH_PORT), '127.0.0.1', () => {
  cpuAtReady = process.cpuUsage();
  process.stdout.write(`READY ${JSON.stringify({ url: `http://127.0.0.1:${process.env.BENCH_PORT}`, numbers: ['+966593300100'] })}\n`);
});
process.on('SIGTERM', () => {
  const cpu = process.cpuUsage(cpuAtReady);
  process.stdout.write(`DONE ${JSON.stringify({ requests, cpuMicros: cpu.user + cpu.system })}\n`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
});

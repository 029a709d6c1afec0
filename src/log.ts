import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = 'info'): Logger {
  return pino({
    level,
    base: { service: 'canary-tracer' },
    // Personas and tokens never reach the log; these paths catch the obvious slips.
    redact: ['req.headers.authorization', 'token', 'persona', '*.persona', 'authToken'],
  });
}

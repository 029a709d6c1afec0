import { z } from 'zod';

// Twilio adds parameters without notice: validate only what the tracer uses, keep all of it raw.
// Caller-controlled strings (From, CallerName, Body) are bounded, never trusted.
const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-zA-Z]{32}$`), `must be a ${prefix}… sid`);
const party = z.string().min(1).max(64);

export const voiceParams = z.looseObject({
  CallSid: sid('CA'),
  AccountSid: sid('AC'),
  From: party,
  To: party,
  CallerName: z.string().max(256).optional(),
  CallStatus: z.string().max(32).optional(),
});

export const smsParams = z.looseObject({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-zA-Z]{32}$/, 'must be an SM… or MM… sid'),
  AccountSid: sid('AC'),
  From: party,
  To: party,
  Body: z.string().max(10_000).default(''),
});

export const statusParams = z.looseObject({
  CallSid: sid('CA'),
  AccountSid: sid('AC'),
  CallStatus: z.string().max(32).optional(),
  CallDuration: z.coerce.number().int().min(0).optional(),
  SequenceNumber: z.coerce.number().int().min(0).optional(),
  RecordingStatus: z.string().max(32).optional(),
});

export type RawParams = Record<string, string | string[]>;

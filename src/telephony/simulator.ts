import { createHash, randomBytes } from 'node:crypto';
import twilio from 'twilio';

/**
 * Plays Twilio: builds the parameters Twilio sends for an inbound call, message or status change,
 * signs them with the twilio SDK's own helper for the URL Twilio would call (PUBLIC_BASE_URL +
 * path), and POSTs them form-encoded to wherever the tracer actually listens.
 */
export interface SimulatorOptions {
  /** Where the tracer listens, e.g. http://127.0.0.1:3000 */
  sendTo: string;
  /** What Twilio would sign: the tracer's PUBLIC_BASE_URL. */
  publicBaseUrl: string;
  authToken: string;
  accountSid?: string;
}

export interface SimulatedResponse {
  status: number;
  body: string;
  sid: string;
}

export const newSid = (prefix: 'CA' | 'SM' | 'RE') => prefix + randomBytes(16).toString('hex');

/** A stable, clearly simulated account sid when no real one is configured. */
export const simulatedAccountSid = (authToken: string) =>
  'AC' + createHash('sha256').update(`simulated:${authToken}`).digest('hex').slice(0, 32);

export class TwilioSimulator {
  private readonly accountSid: string;

  constructor(private readonly o: SimulatorOptions) {
    this.accountSid = o.accountSid ?? simulatedAccountSid(o.authToken);
  }

  async call(p: { to: string; from: string; callerName?: string; callSid?: string }): Promise<SimulatedResponse> {
    const sid = p.callSid ?? newSid('CA');
    const params: Record<string, string> = {
      AccountSid: this.accountSid, ApiVersion: '2010-04-01', CallSid: sid, CallStatus: 'ringing', Direction: 'inbound',
      From: p.from, Caller: p.from, To: p.to, Called: p.to,
      ...(p.callerName ? { CallerName: p.callerName } : {}),
    };
    return { ...(await this.post('/twilio/voice', params)), sid };
  }

  async callStatus(p: { callSid: string; to: string; from: string; status: string; durationSeconds?: number; sequenceNumber?: number }): Promise<SimulatedResponse> {
    const params: Record<string, string> = {
      AccountSid: this.accountSid, ApiVersion: '2010-04-01', CallSid: p.callSid, CallStatus: p.status, Direction: 'inbound',
      From: p.from, To: p.to, Timestamp: new Date().toUTCString(), CallbackSource: 'call-progress-events',
      ...(p.durationSeconds !== undefined ? { CallDuration: String(p.durationSeconds), Duration: String(Math.ceil(p.durationSeconds / 60)) } : {}),
      ...(p.sequenceNumber !== undefined ? { SequenceNumber: String(p.sequenceNumber) } : {}),
    };
    return { ...(await this.post('/twilio/status', params)), sid: p.callSid };
  }

  async sms(p: { to: string; from: string; body: string; messageSid?: string }): Promise<SimulatedResponse> {
    const sid = p.messageSid ?? newSid('SM');
    const params: Record<string, string> = {
      AccountSid: this.accountSid, ApiVersion: '2010-04-01', MessageSid: sid, SmsSid: sid, SmsMessageSid: sid,
      SmsStatus: 'received', From: p.from, To: p.to, Body: p.body, NumMedia: '0', NumSegments: '1',
    };
    return { ...(await this.post('/twilio/sms', params)), sid };
  }

  /** Signs exactly as Twilio does and posts. */
  async post(path: string, params: Record<string, string>): Promise<{ status: number; body: string }> {
    const signature = twilio.getExpectedTwilioSignature(this.o.authToken, this.o.publicBaseUrl + path, params);
    const res = await fetch(this.o.sendTo + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, body: await res.text() };
  }
}

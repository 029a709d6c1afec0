import twilio from 'twilio';
import type { Locale } from '../identities/types.ts';

// A caller must hear an ordinary person's phone, nothing that sounds like a system.
const GREETINGS: Record<Locale, { text: string; language: string; voice: string }> = {
  'ar-SA': {
    text: 'السلام عليكم، ما أقدر أرد عليك الحين. بتصل عليك بأقرب وقت إن شاء الله.',
    language: 'arb',
    voice: 'Polly.Zeina',
  },
  'en-US': {
    text: "Hi, you've reached me but I can't pick up right now. I'll call you back as soon as I can.",
    language: 'en-US',
    voice: 'Polly.Joanna',
  },
};

export interface VoiceAnswerOptions {
  locale: Locale;
  greeting?: string;
  record: boolean;
  recordingStatusCallback: string;
}

const answers = new Map<string, string>();

/** The answer only varies with its options, so each distinct one is built once. */
export function voiceAnswer(o: VoiceAnswerOptions): string {
  const key = JSON.stringify([o.locale, o.greeting ?? null, o.record, o.recordingStatusCallback]);
  let twiml = answers.get(key);
  if (twiml === undefined) {
    twiml = buildVoiceAnswer(o);
    if (answers.size < 100) answers.set(key, twiml);
  }
  return twiml;
}

function buildVoiceAnswer(o: VoiceAnswerOptions): string {
  const g = GREETINGS[o.locale];
  const response = new twilio.twiml.VoiceResponse();
  response.say({ voice: g.voice as any, language: g.language as any }, o.greeting ?? g.text);
  if (o.record) {
    response.record({
      maxLength: 120,
      playBeep: true,
      recordingStatusCallback: o.recordingStatusCallback,
      recordingStatusCallbackMethod: 'POST',
    });
  }
  response.hangup();
  return response.toString();
}

export function emptyMessagingResponse(): string {
  return new twilio.twiml.MessagingResponse().toString();
}

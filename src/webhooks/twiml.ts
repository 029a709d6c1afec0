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

export function voiceAnswer(o: VoiceAnswerOptions): string {
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

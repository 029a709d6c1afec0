// Alert e-mails: plain text and HTML from nunjucks templates (the HTML environment autoescapes,
// so a caller name is text, never markup), in the recipient's language, sent through SMTP with
// nodemailer (TLS and auth from the environment).
import path from 'node:path';
import nodemailer from 'nodemailer';
import nunjucks from 'nunjucks';
import type { SmtpConfig } from './config.ts';
import { clean } from './compose.ts';
import type { Alert, AlertLanguage, AlertOutput, SendOutcome } from './types.ts';

const STRINGS = {
  en: {
    subject: 'canary-tracer', test: 'test alert', digest: 'digest', channel: 'Channel', verdict: 'Verdict now', caller: 'Caller',
    number: 'Canary number ending', severity: 'Severity', when: 'When', callers: 'Callers in this digest', open: 'Open in the tracer',
    footer: 'Sent by canary-tracer. The canary itself is never described in alerts.',
    hit: (a: Alert) => a.summary,
  },
  ar: {
    subject: 'canary-tracer', test: 'تنبيه تجريبي', digest: 'ملخص', channel: 'القناة', verdict: 'الحكم الآن', caller: 'المتصل',
    number: 'رقم الكناري المنتهي بـ', severity: 'الخطورة', when: 'الوقت', callers: 'المتصلون في هذا الملخص', open: 'افتح في المتتبع',
    footer: 'أُرسل من canary-tracer. لا تصف التنبيهات الكناري نفسه أبداً.',
    hit: (a: Alert) => arabicLine(a),
  },
} as const;

const VERDICT_AR: Record<string, string> = { leaking: 'مُسرِّبة', suspect: 'مشتبه بها', clean: 'نظيفة', undetermined: 'غير محسومة', 'no-data': 'لا بيانات' };
const verdictIn = (v: string, language: AlertLanguage) =>
  language === 'ar' ? v.replace(/\b(leaking|suspect|clean|undetermined|no-data)\b/g, (w) => VERDICT_AR[w] ?? w) : v;

const SEVERITY_AR: Record<string, string> = { critical: 'حرجة', high: 'عالية', medium: 'متوسطة', low: 'منخفضة', info: 'معلومة' };

/** The one line in Arabic for a hit; other events keep the English line (their wording is technical). */
function arabicLine(a: Alert): string {
  if (a.event !== 'hit-stored' || a.digest || !a.caller) return a.summary;
  const caller = a.caller.name ? `${a.caller.number} (${a.caller.name})` : a.caller.number;
  if (a.channel && a.minutesAfterPlanting != null) {
    return `كناري في القناة «${a.channel}» تلقّى اتصالاً من ${caller} بعد ${a.minutesAfterPlanting} دقيقة من زرعه`;
  }
  return a.summary;
}

const templates = path.join(import.meta.dirname, 'templates');
const html = new nunjucks.Environment(new nunjucks.FileSystemLoader(templates), { autoescape: true, throwOnUndefined: false });
const text = new nunjucks.Environment(new nunjucks.FileSystemLoader(templates), { autoescape: false });

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export function renderEmail(a: Alert, language: AlertLanguage): RenderedEmail {
  const t = STRINGS[language];
  const kind = a.test ? t.test : a.digest ? t.digest : a.event;
  const line = t.hit(a);
  const rows = [
    a.channel && { label: t.channel, value: a.channel },
    a.verdict && { label: t.verdict, value: verdictIn(a.verdict, language) },
    a.caller && { label: t.caller, value: a.caller.name ? `${a.caller.number} (${a.caller.name})` : a.caller.number },
    a.canaryNumberLast4 && { label: t.number, value: a.canaryNumberLast4 },
    { label: t.severity, value: language === 'ar' ? (SEVERITY_AR[a.severity] ?? a.severity) : a.severity },
    { label: t.when, value: a.occurredAt },
    // The line to append to a checkpoint file for `tracer evidence verify --checkpoints`.
    a.checkpoint && { label: 'Checkpoint', value: JSON.stringify(a.checkpoint) },
  ].filter(Boolean);
  const ctx = {
    lang: language, dir: language === 'ar' ? 'rtl' : 'ltr', t, heading: `${t.subject}: ${kind}`, line, rows, url: a.url,
    digestCallers: a.digest?.callers ?? [], subject: '',
  };
  // Subjects are one header line: no CR/LF from a hostile name can start a new header.
  const subject = clean(`[${a.severity}] ${line}`, 200);
  return { subject, text: text.render('alert.txt.njk', ctx), html: html.render('alert.html.njk', { ...ctx, subject }) };
}

export type Mailer = ReturnType<typeof nodemailer.createTransport>;

export function createMailer(smtp: SmtpConfig): Mailer {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: !smtp.secure && smtp.requireTls,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    tls: { rejectUnauthorized: smtp.rejectUnauthorized },
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  });
}

export async function sendEmail(mailer: Mailer, from: string, output: AlertOutput, alert: Alert): Promise<SendOutcome> {
  const mail = renderEmail(alert, output.language);
  try {
    const info = await mailer.sendMail({
      from, to: output.recipient!, subject: mail.subject, text: mail.text, html: mail.html,
      headers: { 'X-Tracer-Alert': alert.id },
    });
    const status = Number(/^(\d{3})/.exec(info.response)?.[1] ?? 250);
    return { ok: info.accepted.length > 0, status, answer: info.response, error: info.rejected.length ? `rejected: ${info.rejected.join(', ')}` : null };
  } catch (err) {
    const e = err as { responseCode?: number; message?: string };
    return { ok: false, status: e.responseCode ?? null, answer: '', error: e.message ?? String(err) };
  }
}

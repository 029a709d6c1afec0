// `tracer doctor`: each part of a deployment checked the way it will be used, with what to fix.
import twilio from 'twilio';
import type { App } from '../app.ts';
import { checkStore } from '../store/backup.ts';

export interface Finding {
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

const TIMEOUT_MS = 5_000;

export async function runDoctor(app: App): Promise<Finding[]> {
  const { services: s } = app;
  const out: Finding[] = [{ check: 'configuration', ok: true, detail: `provider ${s.provider}, store ${s.config.tracerDb}, public URL ${s.config.publicBaseUrl}` }];
  out.push(storeFinding(s.config.tracerDb));
  for (const t of await s.plantings.checkTargets()) {
    out.push({ check: `target ${t.name}`, ok: t.ok, detail: t.ok ? `${t.kind}: reachable, mapping matches` : t.error ?? 'failed',
      ...(t.ok ? {} : { fix: 'see TARGETS_FILE and `tracer plantings targets --check`' }) });
  }
  out.push(await providerFinding(app));
  out.push(await publicUrlFinding(s.config.publicBaseUrl, s.config.twilioAuthToken));
  return out;
}

function storeFinding(file: string): Finding {
  try {
    const c = checkStore(file);
    const ok = c.integrity === 'ok' && c.evidence.ok;
    return { check: 'store', ok, detail: `${c.hits} hit(s), evidence chain ${c.evidence.ok ? `intact (${c.evidence.entries} entries)` : `BROKEN at entry ${c.evidence.brokenAt}`}, integrity ${c.integrity}`,
      ...(ok ? {} : { fix: 'restore the last good backup (`tracer restore PATH`) and keep this file for the investigation' }) };
  } catch (err) {
    return { check: 'store', ok: false, detail: (err as Error).message, fix: 'check TRACER_DB' };
  }
}

async function providerFinding(app: App): Promise<Finding> {
  const s = app.services;
  try {
    const owned = await s.numberProvider.listOwned();
    return { check: 'provider account', ok: true, detail: `${s.provider}: ${owned.length} number(s) on the account` };
  } catch (err) {
    return { check: 'provider account', ok: false, detail: `${s.provider}: ${(err as Error).message}`, fix: 'check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN' };
  }
}

/**
 * Reaches the public URL as Twilio would, with a request signed for that URL: a tracer that
 * checks the signature and then refuses the (deliberately empty) status callback as invalid has
 * the same URL and token; a 403 means Twilio's requests would all be rejected as forged.
 */
async function publicUrlFinding(base: string, authToken: string): Promise<Finding> {
  const url = `${base}/twilio/status`;
  const params = { TracerDoctor: '1' };
  const check = 'public URL';
  try {
    const res = await fetch(url, {
      method: 'POST', signal: AbortSignal.timeout(TIMEOUT_MS), body: new URLSearchParams(params),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params) },
    });
    if (res.status === 400) return { check, ok: true, detail: `${url} reached; signature accepted` };
    if (res.status === 403) {
      return { check, ok: false, detail: `${url} answered 403: the signature did not match`,
        fix: 'set PUBLIC_BASE_URL to the URL exactly as Twilio calls it (scheme, host, port, path) and the same TWILIO_AUTH_TOKEN on both ends' };
    }
    return { check, ok: false, detail: `${url} answered ${res.status}`, fix: 'PUBLIC_BASE_URL must reach this tracer\'s webhooks (a proxy may be routing elsewhere)' };
  } catch (err) {
    const reason = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    return { check, ok: false, detail: `${url} unreachable (${reason})`, fix: 'start the server (`tracer serve`) and make PUBLIC_BASE_URL reachable from the internet' };
  }
}

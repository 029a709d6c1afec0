import type { Canary } from '../canaries/repository.ts';
import type { Hit } from '../hits/hit.ts';

// How domain objects look on the wire. One place, so the API and the CLI's --json agree.

export const presentCanary = (c: Canary) => ({
  id: c.id,
  phoneNumber: c.phoneNumber,
  locale: c.locale,
  persona: c.persona,
  ticket: c.ticket,
  createdAt: c.createdAt,
  plantings: c.plantings.map((p) => ({
    id: p.id,
    channelId: p.channelId,
    target: p.target,
    status: p.status,
    plantedAt: p.plantedAt,
    externalRef: p.externalRef,
    variant: p.variant,
  })),
});

export const presentHit = (h: Hit, withRaw = false) => ({
  id: h.id,
  kind: h.kind,
  from: h.from,
  callerName: h.callerName,
  to: h.to,
  receivedAt: h.receivedAt,
  canaryId: h.canaryId,
  classification: h.classification,
  callStatus: h.callStatus,
  durationSeconds: h.durationSeconds,
  callerInfo: h.callerInfo,
  body: h.body,
  ...(withRaw ? { raw: h.raw } : {}),
});

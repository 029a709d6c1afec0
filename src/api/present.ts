import type { Canary } from '../canaries/repository.ts';
import type { Hit } from '../hits/hit.ts';
import type { PlantingListItem } from '../planting/repository.ts';
import type { NumberView } from '../numbers/service.ts';
import type { CanaryNumber } from '../numbers/repository.ts';

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

/** A planting on the wire: never the rows and values the connector recorded (details). */
export const presentPlanting = (p: PlantingListItem) => ({
  id: p.id, canaryId: p.canaryId, channelId: p.channelId, channel: p.channelName, target: p.target, status: p.status,
  externalRef: p.externalRef, plantedAt: p.plantedAt, withdrawnAt: p.withdrawnAt, createdAt: p.createdAt,
  lastVerified: p.verifiedAt ? { at: p.verifiedAt, state: (JSON.parse(p.verifyState ?? '{}') as { state?: string }).state ?? null } : null,
});

/** A canary number on the wire; the API and the CLI's --json agree. */
export const presentNumber = (n: CanaryNumber & Partial<Pick<NumberView, 'hits' | 'releaseAfter'>> & { canaryId?: string | null }) => ({
  id: n.id,
  phoneNumber: n.phoneNumber,
  country: n.country,
  type: n.numberType,
  provider: n.provider,
  providerSid: n.providerSid,
  friendlyName: n.friendlyName,
  status: n.status,
  isControl: n.isControl,
  burnInEndsAt: n.burnInEndsAt,
  readyAt: n.readyAt,
  assignedAt: n.assignedAt,
  retiredAt: n.retiredAt,
  retiredReason: n.retiredReason,
  releaseAfter: n.releaseAfter ?? null,
  releasedAt: n.releasedAt,
  releaseError: n.releaseError,
  missingSince: n.missingSince,
  monthlyPrice: n.monthlyPrice,
  currency: n.currency,
  ...(n.hits === undefined ? {} : { hits: n.hits }),
  ...(n.canaryId === undefined ? {} : { canaryId: n.canaryId }),
  createdAt: n.createdAt,
});


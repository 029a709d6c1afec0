import type { Db } from '../store/db.ts';

// What a case covers, read from the facts: its canaries are those planted in its channels, those
// of its campaigns, those its hits reached and those its parties' numbers rang; its hits are every hit on those canaries plus the
// hits linked by hand. Read-only; paged so a case with 100,000 hits never builds one array.

const CASE_CANARIES = `
  SELECT p.canary_id AS canary_id FROM plantings p JOIN case_links l ON l.case_id = @case AND l.kind = 'channel' AND l.ref = p.channel_id
  UNION SELECT k.id FROM canaries k JOIN case_links l ON l.case_id = @case AND l.kind = 'campaign' AND l.ref = k.campaign_id
  UNION SELECT h.canary_id FROM hits h JOIN case_links l ON l.case_id = @case AND l.kind = 'hit' AND l.ref = h.id WHERE h.canary_id IS NOT NULL
  UNION SELECT h.canary_id FROM case_links l JOIN party_numbers pn ON pn.party_id = l.ref JOIN hits h ON h.from_number = pn.phone_number
    WHERE l.case_id = @case AND l.kind = 'party' AND h.canary_id IS NOT NULL`;

const CASE_HITS = `SELECT h.* FROM hits h WHERE (h.canary_id IN (${CASE_CANARIES})
  OR h.id IN (SELECT ref FROM case_links WHERE case_id = @case AND kind = 'hit'))`;

export interface HitPageRow {
  id: string; kind: string; provider_sid: string; from_number: string; to_number: string; caller_name: string | null;
  body: string | null; received_at: string; number_id: string | null; canary_id: string | null; classification: string;
  call_status: string | null; duration_seconds: number | null; caller_info: string | null; raw: string;
}

export interface PlantingFact {
  id: string; canaryId: string; channelId: string; channelName: string; target: string; status: string; variant: string;
  externalRef: string | null; exposedAt: string | null; plantedAt: string | null; withdrawnAt: string | null; createdAt: string;
  phoneNumber: string; numberId: string;
}

export class CaseScope {
  constructor(private readonly db: Db) {}

  canaryIds(caseId: string): string[] {
    return this.db.prepare(`${CASE_CANARIES} ORDER BY 1`).pluck().all({ case: caseId }) as string[];
  }

  /** One page of the case's hits in (received_at, id) order, after the given key. Raw text exactly as stored. */
  hitPage(caseId: string, after: { receivedAt: string; id: string } | null, limit = 1000): HitPageRow[] {
    return this.db.prepare(`${CASE_HITS} AND (@at IS NULL OR (h.received_at, h.id) > (@at, @id)) ORDER BY h.received_at, h.id LIMIT @limit`)
      .all({ case: caseId, at: after?.receivedAt ?? null, id: after?.id ?? null, limit }) as HitPageRow[];
  }

  hitCount(caseId: string): number {
    return this.db.prepare(`SELECT count(*) FROM (${CASE_HITS})`).pluck().get({ case: caseId }) as number;
  }

  /** Contacts per bucket (ISO prefix: day or hour) for the chart. */
  contactsOverTime(caseId: string, bucketChars: 10 | 13): Array<{ bucket: string; hits: number }> {
    return this.db.prepare(`SELECT substr(received_at, 1, ${bucketChars}) AS bucket, count(*) AS hits FROM (${CASE_HITS}) GROUP BY bucket ORDER BY bucket`)
      .all({ case: caseId }) as Array<{ bucket: string; hits: number }>;
  }

  span(caseId: string): { first: string | null; last: string | null } {
    return this.db.prepare(`SELECT min(received_at) AS first, max(received_at) AS last FROM (${CASE_HITS})`).get({ case: caseId }) as { first: string | null; last: string | null };
  }

  /** First contact on each canary after its first exposure. */
  firstContacts(caseId: string, limit: number): Array<{ canaryId: string; at: string; from: string; phoneNumber: string }> {
    return this.db.prepare(`SELECT h.canary_id AS canaryId, min(h.received_at) AS at, h.from_number AS "from", h.to_number AS phoneNumber
      FROM hits h JOIN (SELECT canary_id, min(exposed_at) AS exposed FROM plantings WHERE exposed_at IS NOT NULL GROUP BY canary_id) e
        ON e.canary_id = h.canary_id AND h.received_at >= e.exposed
      WHERE h.canary_id IN (${CASE_CANARIES}) GROUP BY h.canary_id ORDER BY at LIMIT @limit`).all({ case: caseId, limit }) as any;
  }

  plantings(caseId: string): PlantingFact[] {
    return this.db.prepare(`SELECT p.id, p.canary_id AS canaryId, p.channel_id AS channelId, c.name AS channelName, p.target, p.status, p.variant,
        p.external_ref AS externalRef, p.exposed_at AS exposedAt, p.planted_at AS plantedAt, p.withdrawn_at AS withdrawnAt, p.created_at AS createdAt,
        n.phone_number AS phoneNumber, n.id AS numberId
      FROM plantings p JOIN channels c ON c.id = p.channel_id JOIN canaries k ON k.id = p.canary_id JOIN canary_numbers n ON n.id = k.number_id
      WHERE p.canary_id IN (${CASE_CANARIES}) ORDER BY coalesce(p.exposed_at, p.created_at), p.id`).all({ case: caseId }) as PlantingFact[];
  }

  statusEventPage(caseId: string, afterId: number, limit = 1000): Array<{ id: number; call_sid: string; call_status: string; sequence_number: number | null; duration_seconds: number | null; received_at: string; raw: string }> {
    return this.db.prepare(`SELECT e.* FROM call_status_events e WHERE e.call_sid IN (SELECT provider_sid FROM (${CASE_HITS}))
      AND e.id > @after ORDER BY e.id LIMIT @limit`).all({ case: caseId, after: afterId, limit }) as any;
  }

  /** Canaries these caller numbers rang: any, and the case's. Counted, never listed. */
  reachOf(caseId: string, numbers: string[]): { any: number; inCase: number } {
    return this.db.prepare(`SELECT count(DISTINCT h.canary_id) AS "any", count(DISTINCT CASE WHEN h.canary_id IN (${CASE_CANARIES}) THEN h.canary_id END) AS inCase
      FROM hits h WHERE h.canary_id IS NOT NULL AND h.from_number IN (SELECT value FROM json_each(@numbers))`).get({ case: caseId, numbers: JSON.stringify(numbers) }) as { any: number; inCase: number };
  }

  numbersOf(caseId: string): Array<{ id: string; status: string; retiredAt: string | null }> {
    return this.db.prepare(`SELECT n.id, n.status, n.retired_at AS retiredAt FROM canary_numbers n JOIN canaries k ON k.number_id = n.id
      WHERE k.id IN (${CASE_CANARIES})`).all({ case: caseId }) as any;
  }
}

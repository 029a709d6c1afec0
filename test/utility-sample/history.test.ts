import { describe, expect, it } from 'vitest';
import { createIdentityGenerator } from '../../src/identities/index.ts';
import { openUtilityDb } from '../../src/utility-sample/sample-target.ts';
import { fillSampleUtility } from '../../src/utility-sample/fill.ts';

const NOW = new Date('2026-11-30T12:00:00Z');
const YEAR_MS = 365 * 86_400_000;

function sample() {
  const db = openUtilityDb(':memory:');
  fillSampleUtility(db, 1200, 'ar-SA', { seed: 3, now: NOW });
  return db;
}

const riyadh = (iso: string) => new Date(Date.parse(iso) + 3 * 3600_000);

describe('the sample utility database', () => {
  it('when it is filled, then accounts were opened over years and tickets came in over months, in office hours on working days', () => {
    const db = sample();
    const opened = (db.prepare('SELECT opened_at FROM accounts').pluck().all() as string[]).map((d) => Date.parse(d)).sort((a, b) => a - b);
    const span = opened[Math.floor(opened.length * 0.9)]! - opened[Math.floor(opened.length * 0.1)]!;
    expect(span).toBeGreaterThan(4 * YEAR_MS);
    const tickets = db.prepare('SELECT created_at FROM service_tickets ORDER BY ticket_id').pluck().all() as string[];
    expect(new Set(tickets.map((t) => t.slice(0, 7))).size).toBeGreaterThanOrEqual(15);
    for (const t of tickets) {
      const local = riyadh(t);
      expect(local.getUTCHours()).toBeGreaterThanOrEqual(8);
      expect(local.getUTCHours()).toBeLessThan(17);
      expect([0, 1, 2, 3, 4]).toContain(local.getUTCDay());
    }
    // Keys rise with time, as a system that wrote them as they came would have them.
    expect([...tickets].sort((a, b) => Date.parse(a) - Date.parse(b))).toEqual(tickets);
    const summer = tickets.filter((t) => ['06', '07', '08'].includes(t.slice(5, 7))).length;
    const winter = tickets.filter((t) => ['12', '01', '02'].includes(t.slice(5, 7))).length;
    expect(summer).toBeGreaterThan(winter * 1.3);
  });

  it('when it is filled, then most tickets are closed, references follow one scheme and mobiles spread over every operator', () => {
    const db = sample();
    const statuses = db.prepare('SELECT status, count(*) AS n FROM service_tickets GROUP BY status').all() as Array<{ status: string; n: number }>;
    const closed = statuses.find((s) => s.status === 'closed')!.n;
    expect(closed / 1200).toBeGreaterThan(0.5);
    expect(statuses.map((s) => s.status).sort()).toEqual(['closed', 'in-progress', 'open', 'resolved']);
    const refs = db.prepare('SELECT reference FROM service_tickets').pluck().all() as string[];
    expect(refs.every((r) => /^\d{10}$/.test(r))).toBe(true);
    const prefixes = new Set((db.prepare('SELECT mobile FROM customers').pluck().all() as string[]).map((m) => m.slice(0, 3)));
    expect([...prefixes].sort()).toEqual(['050', '053', '054', '055', '056', '057', '058', '059']);
  });

  it('when a canary is drawn, then it comes from the same generator: a recent ticket but an account opened long before', () => {
    const g = createIdentityGenerator({ locale: 'ar-SA', seed: 5, now: () => NOW });
    const ages = Array.from({ length: 200 }, () => g.next('+966551234567')).map((c) => {
      expect(NOW.getTime() - Date.parse(c.ticket.createdAt)).toBeLessThan(5 * 86_400_000);
      return Date.parse(c.ticket.createdAt) - Date.parse(c.persona.openedAt);
    });
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
    expect(ages.filter((a) => a > 3 * YEAR_MS).length).toBeGreaterThan(50);
  });

  it('when personas are asked for with no landline, then none carries one', () => {
    const g = createIdentityGenerator({ locale: 'ar-SA', seed: 5, landline: 'never' });
    const withLandline = Array.from({ length: 100 }, () => g.next()).filter((c) => c.persona.landline);
    expect(withLandline).toEqual([]);
    const usual = createIdentityGenerator({ locale: 'ar-SA', seed: 5 });
    expect(Array.from({ length: 100 }, () => usual.next()).some((c) => c.persona.landline)).toBe(true);
  });
});

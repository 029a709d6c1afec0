import { afterAll, describe, expect, it } from 'vitest';
import { cliHarness } from '../support/cli.ts';

const ALL = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const SCHEDULE = JSON.stringify({ timeZone: 'Asia/Riyadh', shifts: [{ name: 'day', days: ALL, start: '08:00', end: '20:00' }, { name: 'night', days: ALL, start: '20:00', end: '08:00' }] });

describe('tracer campaigns over shifts', () => {
  const cli = cliHarness('tracer-shift-campaigns-cli-');
  afterAll(() => cli.cleanup());

  it('when a console user plans and creates a campaign over a vendor worked in shifts, then plan shows each shift as a channel with the tickets planted into it and when, and exposures lists the shift each reaches', async () => {
    expect((await cli.fails('channels', 'create', '--name', 'Vendor A', '--kind', 'call-centre-vendor', '--shift', '{"timeZone":')).stderr).toContain('error: invalid-request');
    const vendor = await cli.json('channels', 'create', '--name', 'Vendor A', '--kind', 'call-centre-vendor', '--shift', SCHEDULE);
    const plan = await cli.json('campaigns', 'plan', '--channel', 'Vendor A', '--budget', '4');
    expect(plan.channels.map((c: any) => c.channelId)).toEqual([`${vendor.id}~day`, `${vendor.id}~night`]);
    const text = (await cli.tracer('campaigns', 'plan', '--channel', 'Vendor A', '--budget', '4')).stdout;
    expect(text).toContain('Vendor A (day shift), Vendor A (night shift)');
    expect(text).toMatch(/dedicated: tickets into shifts \(4 of 4\)/);
    expect(text).toMatch(/night\s+\d{4}-\d\d-\d\dT/);
    const c = await cli.json('campaigns', 'create', '--name', 'Which shift?', '--design', 'dedicated', '--channel', 'Vendor A', '--budget', '4');
    expect(c.plantings).toBe(4);
    const x = await cli.json('campaigns', 'exposures', c.id);
    expect(x.total).toBe(4);
    expect(x.exposures.map((e: any) => e.shift).sort()).toEqual(['day', 'day', 'night', 'night']);
    expect(x.exposures.every((e: any) => e.channelId === vendor.id)).toBe(true);
  }, 180_000);
});

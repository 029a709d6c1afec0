import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/cli/format.ts';
import type { Report } from '../../src/attribution/report.ts';

const report = (over: Partial<Report['noise']> = {}): Report => ({
  generatedAt: '2026-11-28T10:00:00.000Z',
  channels: [{
    channelId: 'ch_1', name: 'Vendor A', kind: 'call-centre-vendor', verdict: 'leaking', canaries: 2, canariesCalled: 1, hits: 2,
    firstContactMinutes: 7, hitIds: ['h1', 'h2'], probability: 0.99, reasons: ['2 of 2 canaries called'], exposedCanaries: 2, callersTotal: 1, party: null,
    callers: [{ number: '+966112345678', name: '\u001b[2J\u001b[31mEVIL\u202e FIRM\r\nfake line' }],
  }],
  noise: { unmatchedHits: 1, beforePlantingHits: 0, controlHits: 0, burnInHits: 0, noiseCallers: ['+1\u001b]0;x\u0007'],
    controlNumbers: 2, controlNumberDays: 10, controlCallsPerNumberDay: 0.3, noiseCallersTotal: 1, ...over },
  nextCursor: null, campaigns: [],
  model: { backgroundPerNumberDay: 0.12, callBackProbability: 0.7, prior: 0.05, method: 'exact', background: { perNumberDay: 0.12, calls: 0, numberDays: 0 }, thresholds: { leaking: 0.95, suspect: 0.5, clean: 0.01 } },
});

describe('the report at a terminal', () => {
  it('when a caller name carries escape sequences or bidi overrides, then none reaches the terminal', () => {
    const text = formatReport(report());
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]/);
    expect(text).toContain('EVIL');
    expect(text.split('\n').filter((l) => l.includes('fake line'))).toHaveLength(1);
  });

  it('when control numbers are in service, then the background rate is shown; without them, it says so', () => {
    expect(formatReport(report())).toContain('0.30 calls per number-day over 10.0 number-days');
    expect(formatReport(report({ controlNumbers: 0, controlNumberDays: 0, controlCallsPerNumberDay: null }))).toContain('no control numbers in service');
  });
});

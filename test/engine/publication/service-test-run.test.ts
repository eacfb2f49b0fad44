import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../../engine/calendar/index.ts';
import { publicationStatus, recordProblems, testRecordSchema, testRunDueAt, type TestRecord } from '../../../engine/publication/service-test-run.ts';

/**
 * Circular 01/2023 Art. 20: the 05 working days of an online service's test run, counted on the
 * national calendar from the day after the disclosure, and the stop on the 6th working day
 * (Art. 20.3), with fixed clocks.
 */
const national = createWorkingCalendar();
const vn = (iso: string) => new Date(`${iso}+07:00`);

describe('the test run period (Art. 20.2–20.3)', () => {
  it('ends at the close of office of the 5th working day after a Monday disclosure, and stops the service on the 6th', () => {
    const publishedAt = vn('2026-12-07T10:00:00');
    const dueAt = testRunDueAt(national, publishedAt);
    // Tue 8, Wed 9, Thu 10, Fri 11, (weekend), Mon 14 December.
    expect(dueAt.toISOString()).toBe(vn('2026-12-14T17:00:00').toISOString());
    expect(publicationStatus({ dueAt, testedAt: null }, vn('2026-12-14T16:59:00'))).toBe('testing');
    expect(publicationStatus({ dueAt, testedAt: null }, vn('2026-12-15T08:00:00'))).toBe('stopped');
    // A test recorded in time keeps it published for good.
    expect(publicationStatus({ dueAt, testedAt: vn('2026-12-14T16:00:00') }, vn('2027-06-01T08:00:00'))).toBe('tested');
  });

  it('does not count the New Year holiday and the weekend', () => {
    // Wed 30, Thu 31 December; Fri 1 January is the holiday; Mon 4, Tue 5, Wed 6 January.
    expect(testRunDueAt(national, vn('2026-12-29T15:00:00')).toISOString()).toBe(vn('2027-01-06T17:00:00').toISOString());
  });

  it('counts from the next day even when the disclosure is after office hours or on a day off', () => {
    expect(testRunDueAt(national, vn('2026-12-12T09:00:00')).toISOString()).toBe(vn('2026-12-18T17:00:00').toISOString());
    expect(testRunDueAt(national, vn('2026-12-07T22:00:00')).toISOString()).toBe(vn('2026-12-14T17:00:00').toISOString());
  });
});

describe('the test record (Art. 20.2.đ)', () => {
  const record = (items: Partial<TestRecord['items']> = {}): TestRecord =>
    testRecordSchema.parse({
      dossierCode: 'H01.01-261207-0001',
      serviceCode: '1.001193.000.00.00.H12',
      items: { sso: 'passed', 'online-submission': 'passed', 'online-payment': 'passed', 'processing-and-signature': 'failed', consolidation: 'passed', ...items },
    });

  it('takes "not applicable" for payment only where the procedure takes no online payment', () => {
    expect(recordProblems(record({ 'online-payment': 'not-applicable' }), false)).toEqual([]);
    expect(recordProblems(record({ 'online-payment': 'not-applicable' }), true).map((problem) => problem.field)).toEqual(['body.items.online-payment']);
    expect(recordProblems(record({ sso: 'not-applicable', consolidation: 'not-applicable' }), false).map((problem) => problem.field)).toEqual(['body.items.sso', 'body.items.consolidation']);
  });

  it('refuses a record without every item, with an unknown item or a malformed service code', () => {
    const missing = testRecordSchema.safeParse({ dossierCode: 'X', serviceCode: '1.001193', items: { sso: 'passed' } });
    expect(missing.success).toBe(false);
    expect(missing.error!.issues.map((issue) => issue.path.join('.'))).toContain('items.online-submission');
    expect(testRecordSchema.safeParse({ ...record(), items: { ...record().items, extra: 'passed' } }).success).toBe(false);
    expect(testRecordSchema.safeParse({ ...record(), serviceCode: 'mã <script>' }).success).toBe(false);
  });
});

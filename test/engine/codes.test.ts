import { describe, expect, it } from 'vitest';
import { makeApplicationNumber, makeResultCode, parseApplicationNumber } from '../../engine/codes/application-number.ts';

describe('application numbers (Decree 45 Art. 12.2.c) and result codes (Art. 14.3.d)', () => {
  it('makes and reads back an application number', () => {
    const number = makeApplicationNumber({ agencyCode: '000.00.01.H01', receivedOn: '2025-03-10', sequence: 7 });
    expect(number).toBe('000.00.01.H01-250310-0007');
    expect(parseApplicationNumber(number)).toEqual({ agencyCode: '000.00.01.H01', receivedOn: '2025-03-10', sequence: 7 });
    expect(makeApplicationNumber({ agencyCode: 'G01.01', receivedOn: '2025-12-31', sequence: 12345 })).toBe('G01.01-251231-12345');
  });

  it('numbers the results of one application KQ1, KQ2, …', () => {
    expect(makeResultCode('000.00.01.H01-250310-0007', 2)).toBe('000.00.01.H01-250310-0007-KQ2');
  });

  it.each([
    () => makeApplicationNumber({ agencyCode: 'sở tư pháp', receivedOn: '2025-03-10', sequence: 1 }),
    () => makeApplicationNumber({ agencyCode: '000.00.01.H01', receivedOn: '2025-03-10', sequence: 0 }),
    () => parseApplicationNumber('HS-1'),
    () => makeResultCode('000.00.01.H01-250310-0007', 0),
  ])('refuses what is not a valid code (%#)', (act) => {
    expect(act).toThrow();
  });
});

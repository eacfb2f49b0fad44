import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_DAILY_ORDINAL,
  PORTAL_ISSUER,
  REVENUE_KIND_DIGITS,
  agencyTransactionCodeSchema,
  makePaymentContent,
  makeTransactionCode,
  parsePaymentContent,
  parseTransactionCode,
  portalTransactionCodeSchema,
  revenueKindSchema,
  type PaymentContent,
} from '../../../engine/codes/transaction-code.ts';

const segment = fc.stringMatching(/^[0-9A-Z]{1,4}$/);
const agencyCode = fc.array(segment, { minLength: 2, maxLength: 6 }).map((parts) => parts.join('.'));
const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
const kind = fc.constantFrom(...revenueKindSchema.options);
const ordinal = fc.integer({ min: 1, max: MAX_DAILY_ORDINAL });

describe('transaction codes (Circular 01 Art. 27.4–27.5)', () => {
  it('writes the Portal form G22.99.X-YYMMDDZZZZZZ, X by revenue kind', () => {
    expect(makeTransactionCode({ issuer: PORTAL_ISSUER, kind: 'procedure-fees', arisenOn: '2026-01-15', ordinal: 42 })).toBe('G22.99.2-260115000042');
    expect(makeTransactionCode({ issuer: PORTAL_ISSUER, kind: 'penalties', arisenOn: '2026-12-31', ordinal: 999_999 })).toBe('G22.99.1-261231999999');
    expect(Object.values(REVENUE_KIND_DIGITS).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("writes the agency form <agency e-ID>.X-YYMMDDZZZZZZ and tells it from the Portal's", () => {
    const code = makeTransactionCode({ issuer: '000.00.01.H01', kind: 'procedure-fees', arisenOn: '2026-01-15', ordinal: 7 });
    expect(code).toBe('000.00.01.H01.2-260115000007');
    expect(portalTransactionCodeSchema.safeParse(code).success).toBe(false);
    expect(portalTransactionCodeSchema.safeParse('G22.99.2-260115000007').success).toBe(true);
    expect(agencyTransactionCodeSchema.safeParse(code).success).toBe(true);
    expect(agencyTransactionCodeSchema.safeParse('G22.99.2-260115000007').success).toBe(false);
  });

  it('reads back what it writes, for every issuer, kind, day and ordinal', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant(PORTAL_ISSUER), agencyCode), kind, day, ordinal, (issuer, kind, arisenOn, ordinal) => {
        const code = makeTransactionCode({ issuer, kind, arisenOn, ordinal });
        expect(code).toMatch(/\.[1-8]-\d{12}$/);
        expect(parseTransactionCode(code)).toEqual({ issuer, kind, arisenOn, ordinal });
      }),
    );
  });

  it.each([
    () => makeTransactionCode({ issuer: PORTAL_ISSUER, kind: 'procedure-fees', arisenOn: '2026-01-15', ordinal: 0 }),
    () => makeTransactionCode({ issuer: PORTAL_ISSUER, kind: 'procedure-fees', arisenOn: '2026-01-15', ordinal: MAX_DAILY_ORDINAL + 1 }),
    () => makeTransactionCode({ issuer: PORTAL_ISSUER, kind: 'procedure-fees', arisenOn: '2026-02-30', ordinal: 1 }),
    () => makeTransactionCode({ issuer: PORTAL_ISSUER, kind: 'procedure-fees', arisenOn: '1999-12-31', ordinal: 1 }),
    () => makeTransactionCode({ issuer: 'sở tư pháp', kind: 'procedure-fees', arisenOn: '2026-01-15', ordinal: 1 }),
    () => makeTransactionCode({ issuer: PORTAL_ISSUER, kind: 'lottery' as never, arisenOn: '2026-01-15', ordinal: 1 }),
    () => parseTransactionCode('G22.99.9-260115000001'),
    () => parseTransactionCode('G22.99.2-260115000000'),
    () => parseTransactionCode('G22.99.2-2601150001'),
    () => parseTransactionCode('G22.99.2-261315000001'),
  ])('refuses what is not a transaction code (%#)', (act) => {
    expect(act).toThrow();
  });
});

const content: fc.Arbitrary<PaymentContent> = fc.record(
  {
    transactionCode: fc.tuple(fc.oneof(fc.constant(PORTAL_ISSUER), agencyCode), kind, day, ordinal).map(([issuer, kind, arisenOn, ordinal]) => makeTransactionCode({ issuer, kind, arisenOn, ordinal })),
    revenueIdentifier: fc.tuple(agencyCode, day, fc.integer({ min: 1, max: 99_999 })).map(([agency, date, n]) => `${agency}-${date.slice(2).replaceAll('-', '')}-${String(n).padStart(4, '0')}`),
    citadCode: fc.stringMatching(/^\d{8}$/),
    procedureCode: fc.oneof(fc.stringMatching(/^\d\.\d{6}$/), fc.stringMatching(/^local:[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}$/)),
    collectingAgencyCode: agencyCode,
    amountVnd: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    feeCode: fc.stringMatching(/^[0-9A-Za-z._-]{1,50}$/),
  },
  { requiredKeys: ['transactionCode', 'revenueIdentifier', 'citadCode', 'procedureCode', 'collectingAgencyCode', 'amountVnd'] },
);

describe('the payment order content (Art. 27.3)', () => {
  it('joins the seven parts with +, the amount in plain digits', () => {
    const parts = { transactionCode: 'G22.99.2-260115000042', revenueIdentifier: '000.00.01.H01-260115-0003', citadCode: '01201001', procedureCode: '1.001193', collectingAgencyCode: '000.00.01.H01', amountVnd: 1_400_000 };
    expect(makePaymentContent({ ...parts, feeCode: 'LP-HT-01' })).toBe('G22.99.2-260115000042+000.00.01.H01-260115-0003+01201001+1.001193+000.00.01.H01+1400000+LP-HT-01');
  });

  it('puts the transaction code where the fee code is missing (Art. 27.1.dd)', () => {
    const text = makePaymentContent({ transactionCode: 'G22.99.2-260115000042', revenueIdentifier: '000.00.01.H01-260115-0003', citadCode: '01201001', procedureCode: '1.001193', collectingAgencyCode: '000.00.01.H01', amountVnd: 50_000 });
    expect(text.split('+')).toEqual(['G22.99.2-260115000042', '000.00.01.H01-260115-0003', '01201001', '1.001193', '000.00.01.H01', '50000', 'G22.99.2-260115000042']);
  });

  it('reads back every content it writes, and each part is one +-free token', () => {
    fc.assert(
      fc.property(content, (parts) => {
        const text = makePaymentContent(parts);
        expect(text.split('+')).toHaveLength(7);
        expect(parsePaymentContent(text)).toEqual(parts);
      }),
    );
  });

  it.each([
    ['a fee code with a +', { feeCode: 'A+B' }],
    ['a CITAD code of 7 digits', { citadCode: '0120100' }],
    ['an amount with a fraction', { amountVnd: 1000.5 }],
    ['a zero amount', { amountVnd: 0 }],
    ['a revenue identifier that is no dossier code', { revenueIdentifier: 'HS+1' }],
  ])('refuses %s', (_, change) => {
    const parts = { transactionCode: 'G22.99.2-260115000042', revenueIdentifier: '000.00.01.H01-260115-0003', citadCode: '01201001', procedureCode: '1.001193', collectingAgencyCode: '000.00.01.H01', amountVnd: 50_000, ...change };
    expect(() => makePaymentContent(parts)).toThrow();
  });

  it.each(['G22.99.2-260115000042+000.00.01.H01-260115-0003+01201001+1.001193+000.00.01.H01+1.400.000+X', 'G22.99.2-260115000042+000.00.01.H01-260115-0003+01201001+1.001193+000.00.01.H01+050000+X', 'G22.99.2-260115000042+1+2'])('refuses to read %s', (text) => {
    expect(() => parsePaymentContent(text)).toThrow();
  });
});

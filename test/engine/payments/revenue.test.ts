import { describe, expect, it } from 'vitest';
import { isQuyTrinhError, type QuyTrinhError } from '../../../engine/errors.ts';
import { parseCollectionSettings, parseRevenue, revenueFromSettings } from '../../../engine/payments/revenue.ts';

const settings = {
  agencyCode: '000.00.01.H01',
  agencyName: 'Ủy ban nhân dân phường Ba Đình',
  accountNumber: '3511.0.1058765',
  accountName: 'UBND phường Ba Đình - tài khoản thu phí, lệ phí',
  citadCode: '01701001',
  bankName: 'Kho bạc Nhà nước khu vực I',
  feeCodes: [{ procedureCode: '1.001193', feeCode: 'LP-HT-01', name: 'Lệ phí hộ tịch' }],
};

const request = { revenueIdentifier: '000.00.01.H01-260115-0003', procedureCode: '1.001193', amountVnd: 8_000, payerName: 'Nguyễn Văn An', payerTaxId: '001088001234' };

function refusal(act: () => unknown): QuyTrinhError {
  try {
    act();
  } catch (error) {
    if (isQuyTrinhError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('revenue data (Circular 01 Art. 27.1–27.2)', () => {
  it("fills a request's revenue fields a–o from the agency's settings and fee codes", () => {
    const parsed = parseCollectionSettings(settings);
    expect(parsed.issuesOwnTransactionCodes).toBe(false);
    expect(revenueFromSettings(parsed, request)).toEqual({
      revenueIdentifier: '000.00.01.H01-260115-0003',
      collectingAgencyCode: '000.00.01.H01',
      collectingAgencyName: 'Ủy ban nhân dân phường Ba Đình',
      procedureCode: '1.001193',
      feeCode: 'LP-HT-01',
      amountVnd: 8_000,
      currency: 'VND',
      payerName: 'Nguyễn Văn An',
      payerTaxId: '001088001234',
      citadCode: '01701001',
      accountNumber: '3511.0.1058765',
      accountName: 'UBND phường Ba Đình - tài khoản thu phí, lệ phí',
      sectorFields: {},
    });
  });

  it('leaves the fee code out when the agency has none for the procedure (the transaction code stands in, 27.1.dd)', () => {
    const revenue = revenueFromSettings(parseCollectionSettings(settings), { ...request, procedureCode: '1.000656' });
    expect(revenue.feeCode).toBeUndefined();
  });

  it('refuses a faulty request naming every field, in Vietnamese and English', () => {
    const error = refusal(() => parseRevenue({ ...revenueFromSettings(parseCollectionSettings(settings), request), citadCode: '1701001', amountVnd: 8000.5, currency: 'USD', payerTaxId: '12345', extra: 1 }));
    expect(error.code).toBe('payment.revenue-invalid');
    expect(error.kind).toBe('invalid-input');
    expect(error.details.map((detail) => detail.field).sort()).toEqual(['revenue.amountVnd', 'revenue.citadCode', 'revenue.currency', 'revenue.extra', 'revenue.payerTaxId']);
    const citad = error.details.find((detail) => detail.field === 'revenue.citadCode')!;
    expect(citad.messages).toEqual({ vi: 'Mã CITAD gồm đúng 8 chữ số', en: 'A CITAD code has exactly 8 digits' });
    expect(error.text.vi).toContain('revenue.citadCode');
    expect(error.text.en).toContain('revenue.currency');
  });

  it('refuses settings with a procedure given two fee codes, and a CITAD code that is not 8 digits', () => {
    const error = refusal(() => parseCollectionSettings({ ...settings, citadCode: '0170100A', feeCodes: [...settings.feeCodes, { procedureCode: '1.001193', feeCode: 'OTHER' }] }));
    expect(error.code).toBe('payment.settings-invalid');
    expect(error.details.map((detail) => detail.field).sort()).toEqual(['body.citadCode', 'body.feeCodes.1.procedureCode']);
    expect(error.details.find((detail) => detail.field === 'body.feeCodes.1.procedureCode')!.messages!.vi).toContain('Mỗi thủ tục có một mã phí');
  });

  it('takes an organisation tax ID, a branch tax ID or a personal identification number as the payer tax ID', () => {
    const base = revenueFromSettings(parseCollectionSettings(settings), request);
    for (const payerTaxId of ['0101234567', '0101234567-001', '001088001234']) expect(parseRevenue({ ...base, payerTaxId }).payerTaxId).toBe(payerTaxId);
    expect(() => parseRevenue({ ...base, payerTaxId: '999088001234' })).toThrow();
  });
});

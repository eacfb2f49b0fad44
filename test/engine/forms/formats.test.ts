import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findProvince, isCalendarDate, PROVINCES, readCommune, readDate, readEmail, readIdNumber, readPhone, readProvince, readTaxId, vietnameseDate } from '../../../engine/forms/index.ts';

const pad = (value: number, width: number) => String(value).padStart(width, '0');

describe('field formats of the national databases (Circular 01 Art. 22.3.a)', () => {
  describe('date: dd/mm/yyyy or YYYY-MM-DD in, YYYY-MM-DD stored', () => {
    it('reads every day of the calendar in both spellings to the same ISO date', () => {
      fc.assert(
        fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }), (day) => {
          const iso = day.toISOString().slice(0, 10);
          const [year, month, date] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
          expect(readDate(`${pad(date, 2)}/${pad(month, 2)}/${year}`)).toEqual({ ok: true, value: iso });
          expect(readDate(`${date}/${month}/${year}`)).toEqual({ ok: true, value: iso });
          expect(readDate(iso)).toEqual({ ok: true, value: iso });
          expect(vietnameseDate(iso)).toBe(`${pad(date, 2)}/${pad(month, 2)}/${year}`);
        }),
      );
    });

    it('refuses days that are not in the calendar, agreeing with the calendar of Date', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1900, max: 2199 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 29, max: 31 }), (year, month, day) => {
          const exists = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
          expect(isCalendarDate(year, month, day)).toBe(exists);
          expect(readDate(`${pad(day, 2)}/${pad(month, 2)}/${year}`).ok).toBe(exists);
        }),
      );
      expect(readDate('31/02/2026')).toEqual({ ok: false, message: { vi: 'Ngày 31/02/2026 không có trong lịch', en: '31/02/2026 is not a day of the calendar' } });
      expect(readDate('29/02/2028').ok).toBe(true);
      expect(readDate('29/02/2100').ok).toBe(false);
    });

    it('refuses what is not written as a date', () => {
      for (const text of ['2026/11/02', '02-11-2026', '02/11/26', '00/11/2026', '02/13/2026', 'hôm nay', '2026-1-2']) expect(readDate(text).ok, text).toBe(false);
    });
  });

  describe('cccd: the personal identification number', () => {
    const provinceCodes = ['001', '002', '004', '031', '046', '079', '092', '096'];
    it('accepts 12 digits starting with a province code', () => {
      fc.assert(
        fc.property(fc.constantFrom(...provinceCodes), fc.stringMatching(/^\d{9}$/), (province, rest) => {
          expect(readIdNumber(`${province}${rest}`)).toEqual({ ok: true, value: `${province}${rest}` });
          expect(readIdNumber(` ${province}${rest} `)).toEqual({ ok: true, value: `${province}${rest}` });
        }),
      );
    });

    it('refuses a number of another length, with letters, or starting with no province code', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^\d{1,20}$/).filter((text) => text.length !== 12), (text) => {
          expect(readIdNumber(text).ok).toBe(false);
        }),
      );
      fc.assert(
        fc.property(fc.integer({ min: 97, max: 999 }), fc.stringMatching(/^\d{9}$/), (province, rest) => {
          expect(readIdNumber(`${pad(province, 3)}${rest}`).ok).toBe(false);
        }),
      );
      // 003, 005: codes no province ever had
      for (const text of ['000123456789', '003123456789', '005123456789', '00109905432a']) expect(readIdNumber(text).ok, text).toBe(false);
    });
  });

  it('phone: 0 and nine digits (02 and nine for a fixed line) or +84, stored in the national form', () => {
    expect(readPhone('0912 345 678')).toEqual({ ok: true, value: '0912345678' });
    expect(readPhone('+84912345678')).toEqual({ ok: true, value: '0912345678' });
    expect(readPhone('024.3825.1234')).toEqual({ ok: true, value: '02438251234' });
    expect(readPhone('+84 24 3825 1234')).toEqual({ ok: true, value: '02438251234' });
    for (const text of ['091234567', '09123456789', '+8491234567', '1912345678', '0112345678', '+1 912345678', '0243825123', '0641234567']) expect(readPhone(text).ok, text).toBe(false);
  });

  it('taxId: 10 digits, or 10-3 for a branch', () => {
    expect(readTaxId('0110987654')).toEqual({ ok: true, value: '0110987654' });
    expect(readTaxId('0110987654-001')).toEqual({ ok: true, value: '0110987654-001' });
    for (const text of ['011098765', '0110987654-01', '0110987654001', 'MST0110987']) expect(readTaxId(text).ok, text).toBe(false);
  });

  it('email', () => {
    expect(readEmail(' Hoa.Nguyen@Example.VN ')).toEqual({ ok: true, value: 'hoa.nguyen@example.vn' });
    for (const text of ['hoa', 'hoa@', 'hoa@example', 'hoa nguyen@example.vn', '@example.vn']) expect(readEmail(text).ok, text).toBe(false);
  });

  it('province: the 34 units of Resolution 202/2025/QH15, by code or by name, stored as the code', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(new Set(PROVINCES.map((province) => province.code)).size).toBe(34);
    expect(readProvince('01')).toEqual({ ok: true, value: '01' });
    expect(readProvince('Thành phố Hồ Chí Minh')).toEqual({ ok: true, value: '79' });
    expect(readProvince('ha noi')).toEqual({ ok: true, value: '01' });
    expect(findProvince('Huế')?.code).toBe('46');
    // merged on 1 July 2025: no longer a province
    for (const text of ['Bình Dương', 'Hà Giang', '74', '02']) expect(readProvince(text).ok, text).toBe(false);
  });

  it('commune: free text, not empty', () => {
    expect(readCommune('  Phường   Cầu Giấy ')).toEqual({ ok: true, value: 'Phường Cầu Giấy' });
    expect(readCommune('   ').ok).toBe(false);
  });
});

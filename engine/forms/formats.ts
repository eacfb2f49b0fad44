/**
 * Field formats of the national databases (Circular 01 Art. 22.3.a: the information formats of an
 * interactive form follow the data rules of the National Database on population and the National
 * Database on business registration). A form chooses one with the custom property
 * `properties['qt:format']`; each format reads what a person typed, refuses what cannot be right
 * with a message in both languages, and gives the value stored as a process variable.
 */
import type { Bilingual } from '../errors.ts';
import { findProvince } from './provinces.ts';

export const FIELD_FORMATS = ['cccd', 'date', 'phone', 'taxId', 'email', 'province', 'commune'] as const;
export type FieldFormat = (typeof FIELD_FORMATS)[number];

export type FormatResult = { ok: true; value: string } | { ok: false; message: Bilingual };

const refuse = (vi: string, en: string): FormatResult => ({ ok: false, message: { vi, en } });

/**
 * The provinces of the personal identification number: the 63 codes of the provinces before
 * 1 July 2025 (the codes Circular 59/2021/TT-BCA gives identification numbers), which every number issued so far carries and
 * keeps, also after the 2025 merger.
 */
const ID_PROVINCE_CODES = new Set(
  '001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096'.split(' '),
);

/**
 * The personal identification number (số định danh cá nhân, printed on the citizen identity card,
 * CCCD): 12 digits, the first three the province of birth registration (Decree 137/2015/NĐ-CP
 * Art. 13).
 */
export function readIdNumber(text: string): FormatResult {
  const value = text.trim();
  if (!/^\d{12}$/.test(value)) return refuse('Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số', 'A personal identification number (CCCD) has exactly 12 digits');
  if (!ID_PROVINCE_CODES.has(value.slice(0, 3))) {
    return refuse(`Số định danh cá nhân bắt đầu bằng mã tỉnh ${value.slice(0, 3)} không tồn tại (mã tỉnh từ 001 đến 096)`, `The personal identification number starts with ${value.slice(0, 3)}, which is no province code (001 to 096)`);
  }
  return { ok: true, value };
}

/** True for a day that exists in the proleptic Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/**
 * A date as people write it in Vietnam, dd/mm/yyyy, or as form-js's date picker gives it,
 * YYYY-MM-DD; the variable holds YYYY-MM-DD, whatever was typed. 31/02/2026 does not exist and is
 * refused rather than rolled over to March.
 */
export function readDate(text: string): FormatResult {
  const value = text.trim();
  const vietnamese = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [year, month, day] = vietnamese ? [vietnamese[3], vietnamese[2], vietnamese[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (year === undefined || month === undefined || day === undefined) return refuse('Ngày phải viết theo dạng dd/mm/yyyy, ví dụ 02/11/2026', 'A date is written dd/mm/yyyy, e.g. 02/11/2026');
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return refuse(`Ngày ${value} không có trong lịch`, `${value} is not a day of the calendar`);
  return { ok: true, value: `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` };
}

/** YYYY-MM-DD as dd/mm/yyyy, for a text field a date is filled into. */
export function vietnameseDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/**
 * A Vietnamese telephone number: a mobile number, 0 and nine digits (03, 05, 07, 08, 09), or a
 * fixed line, 02 and nine digits (area code and subscriber, since the 2017 renumbering); +84 may
 * stand for the 0. Spaces, dots and hyphens between digits are dropped; the variable holds the
 * national form (0912345678).
 */
export function readPhone(text: string): FormatResult {
  const compact = text.trim().replace(/[\s.-]/g, '');
  const national = compact.startsWith('+84') ? `0${compact.slice(3)}` : compact;
  if (!/^0(?:[35789]\d{8}|2\d{9})$/.test(national)) {
    return refuse('Số điện thoại phải gồm số 0 và 9 chữ số (số cố định: 02 và 9 chữ số), có thể viết +84 thay cho số 0, ví dụ 0912345678', 'A telephone number is 0 and nine digits (a fixed line: 02 and nine digits), +84 may replace the 0, e.g. 0912345678');
  }
  return { ok: true, value: national };
}

/**
 * The tax identification number (mã số thuế), which is also the enterprise code (Law on
 * Enterprises 2020 Art. 29): 10 digits, or 10 digits, a hyphen and 3 digits for a branch or a
 * dependent unit (Circular 86/2024/TT-BTC Art. 5).
 */
export function readTaxId(text: string): FormatResult {
  const value = text.trim();
  if (!/^\d{10}(-\d{3})?$/.test(value)) return refuse('Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số cho đơn vị phụ thuộc', 'A tax identification number has 10 digits, or 10 digits, a hyphen and 3 digits for a branch');
  return { ok: true, value };
}

// One @, a dotted domain, no spaces; the mail server has the last word (the notices are sent there).
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function readEmail(text: string): FormatResult {
  const value = text.trim();
  if (value.length > 254 || !EMAIL.test(value)) return refuse('Địa chỉ thư điện tử không hợp lệ, ví dụ ten@example.vn', 'Not a valid e-mail address, e.g. name@example.vn');
  return { ok: true, value: value.toLowerCase() };
}

/** A province after Resolution 202/2025/QH15, by its code or its name; the variable holds the code. */
export function readProvince(text: string): FormatResult {
  const province = findProvince(text);
  if (!province) return refuse(`"${text}" không phải là một trong 34 tỉnh, thành phố (Nghị quyết 202/2025/QH15)`, `"${text}" is not one of the 34 provinces and cities (Resolution 202/2025/QH15)`);
  return { ok: true, value: province.code };
}

/**
 * A commune, ward or special zone (xã, phường, đặc khu): free text, as the unit's list is long and
 * still settling after the 2025 rearrangement; it must not be empty.
 */
export function readCommune(text: string): FormatResult {
  const value = text.trim().replace(/\s+/g, ' ');
  if (value === '') return refuse('Cần ghi tên xã, phường, đặc khu', 'The commune, ward or special zone must be named');
  return { ok: true, value };
}

export const FORMAT_READERS: Record<FieldFormat, (text: string) => FormatResult> = {
  cccd: readIdNumber,
  date: readDate,
  phone: readPhone,
  taxId: readTaxId,
  email: readEmail,
  province: readProvince,
  commune: readCommune,
};

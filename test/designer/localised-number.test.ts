import { describe, expect, it } from 'vitest';
import { formatLocalisedNumber, readLocalisedNumber } from '../../designer/src/modeler/localised-number.ts';

describe('numbers typed and shown in the designer’s language', () => {
  it('reads Vietnamese: a point groups thousands, a comma marks the decimals', () => {
    expect(readLocalisedNumber('50.000', 'vi')).toEqual({ ok: true, value: 50_000 });
    expect(readLocalisedNumber('1.400.000', 'vi')).toEqual({ ok: true, value: 1_400_000 });
    expect(readLocalisedNumber('1400000', 'vi')).toEqual({ ok: true, value: 1_400_000 });
    expect(readLocalisedNumber('2,5', 'vi')).toEqual({ ok: true, value: 2.5 });
    expect(readLocalisedNumber('1.234,75', 'vi')).toEqual({ ok: true, value: 1234.75 });
    expect(readLocalisedNumber(',5', 'vi')).toEqual({ ok: true, value: 0.5 });
    expect(readLocalisedNumber(' 0,75 ', 'vi')).toEqual({ ok: true, value: 0.75 });
    expect(readLocalisedNumber('-3', 'vi')).toEqual({ ok: true, value: -3 });
  });

  it('reads English: a comma groups thousands, a point marks the decimals', () => {
    expect(readLocalisedNumber('50,000', 'en')).toEqual({ ok: true, value: 50_000 });
    expect(readLocalisedNumber('1,400,000', 'en')).toEqual({ ok: true, value: 1_400_000 });
    expect(readLocalisedNumber('2.5', 'en')).toEqual({ ok: true, value: 2.5 });
    expect(readLocalisedNumber('1,234.75', 'en')).toEqual({ ok: true, value: 1234.75 });
    expect(readLocalisedNumber('50.000', 'en')).toEqual({ ok: true, value: 50 });
  });

  it('refuses what does not fit the language’s form, naming the expected form in both languages', () => {
    for (const text of ['2.5', '1.5', '1.40.000', '1,400,000', '50.000,', '1..000', 'abc', '1 000', '2,5,1']) {
      const read = readLocalisedNumber(text, 'vi');
      expect(read, text).toMatchObject({ ok: false });
      if (!read.ok) expect(read.error).toEqual({ vi: expect.stringContaining('1.400.000 hoặc 2,5'), en: expect.stringContaining('1.400.000 or 2,5') });
    }
    for (const text of ['2,5', '1,5', '1,40,000', '1.400.000', 'x']) {
      const read = readLocalisedNumber(text, 'en');
      expect(read, text).toMatchObject({ ok: false });
      if (!read.ok) expect(read.error.en).toContain('1,400,000 or 2.5');
    }
  });

  it('reads an empty entry as no value', () => {
    expect(readLocalisedNumber('', 'vi')).toEqual({ ok: true, value: undefined });
    expect(readLocalisedNumber('   ', 'en')).toEqual({ ok: true, value: undefined });
    expect(readLocalisedNumber(undefined, 'en')).toEqual({ ok: true, value: undefined });
  });

  it('shows stored numbers grouped, and what it shows reads back to the same number', () => {
    expect(formatLocalisedNumber(1_400_000, 'vi')).toBe('1.400.000');
    expect(formatLocalisedNumber(2.5, 'vi')).toBe('2,5');
    expect(formatLocalisedNumber(28_000, 'vi')).toBe('28.000');
    expect(formatLocalisedNumber(1_400_000, 'en')).toBe('1,400,000');
    expect(formatLocalisedNumber(2.5, 'en')).toBe('2.5');
    for (const value of [0, 0.1, 0.75, 1000, 1234.5678, 50_000, 1_400_000, 0.30000000000000004]) {
      for (const language of ['vi', 'en'] as const) {
        expect(readLocalisedNumber(formatLocalisedNumber(value, language), language)).toEqual({ ok: true, value });
      }
    }
  });
});

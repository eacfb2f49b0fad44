/**
 * Numbers as people type and read them in the designer's language. In Vietnamese a point groups
 * thousands and a comma marks the decimals (1.400.000; 2,5); in English the reverse (1,400,000;
 * 2.5). An entry is read by the convention of the language shown and by nothing else: `50.000`
 * is fifty thousand in Vietnamese and fifty in English, so guessing would silently store the
 * wrong amount. What does not fit the language's form (`2.5` or `1.5` in Vietnamese, `2,5` in
 * English) is refused with a message naming the expected form. Grouping is optional (1400000
 * reads too) but, where used, groups three digits.
 */
import type { Language } from '../i18n.ts';
import type { Bilingual } from './qt-fields.ts';

export type NumberReading = { ok: true; value: number | undefined } | { ok: false; error: Bilingual };

const separators: Record<Language, { group: string; decimal: string }> = {
  vi: { group: '.', decimal: ',' },
  en: { group: ',', decimal: '.' },
};

const expectedForm: Record<Language, Bilingual> = {
  vi: {
    vi: 'Hãy nhập số theo cách viết tiếng Việt: dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần thập phân, ví dụ 1.400.000 hoặc 2,5',
    en: 'Enter the number in the Vietnamese form: a point groups thousands, a comma marks the decimals, e.g. 1.400.000 or 2,5',
  },
  en: {
    vi: 'Hãy nhập số theo cách viết tiếng Anh: dấu phẩy ngăn cách hàng nghìn, dấu chấm trước phần thập phân, ví dụ 1,400,000 hoặc 2.5',
    en: 'Enter the number in the English form: a comma groups thousands, a point marks the decimals, e.g. 1,400,000 or 2.5',
  },
};

const escape = (character: string) => `\\${character}`;

/** Sign, whole part (plain digits or groups of three), decimals: the one form each language reads. */
const forms: Record<Language, RegExp> = Object.fromEntries(
  (Object.keys(separators) as Language[]).map((language) => {
    const group = escape(separators[language].group);
    const decimal = escape(separators[language].decimal);
    return [language, new RegExp(`^([-+]?)(?:(\\d{1,3}(?:${group}\\d{3})+|\\d+)(?:${decimal}(\\d+))?|${decimal}(\\d+))$`)];
  }),
) as Record<Language, RegExp>;

/** Reads what the user typed in the language shown; empty is no value. */
export function readLocalisedNumber(text: string | undefined, language: Language): NumberReading {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return { ok: true, value: undefined };
  const match = forms[language].exec(trimmed);
  if (!match) return { ok: false, error: expectedForm[language] };
  const [, sign, whole, decimals, decimalsOnly] = match;
  const digits = `${sign}${(whole ?? '0').split(separators[language].group).join('')}.${decimals ?? decimalsOnly ?? '0'}`;
  const value = Number(digits);
  if (!Number.isFinite(value)) return { ok: false, error: expectedForm[language] };
  return { ok: true, value };
}

const formats: Record<Language, Intl.NumberFormat> = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 20 }),
  en: new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 }),
};

/** A stored number as the language writes it: 1.400.000 and 2,5 in Vietnamese, 1,400,000 and 2.5 in English. */
export function formatLocalisedNumber(value: number, language: Language): string {
  return formats[language].format(value);
}

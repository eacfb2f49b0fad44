import { z } from 'zod';

/**
 * The code a digitization result is saved under (Circular 01 Art. 10.1):
 * `<identification number of the organisation or individual>.<document type code>.<document number, symbol>`,
 * e.g. `001324012345.GKS.125/2024/KS`.
 *
 * - The holder's number is the personal identification number (12 digits) or the organisation's
 *   electronic identification number / tax code (10 digits, or 10-3 for a branch). When the
 *   document carries none, "the space for identification shall be empty and the metadata of Art.
 *   9.2.b shall be added" (Art. 10.2): the code starts with the dot, `.GKS.125/2024/KS`, and the
 *   holder's full name and date of birth (an organisation's name and year of establishment) must
 *   be given, to be kept in the metadata beside it.
 * - The document type code of a result is the result's code on the National Database of
 *   administrative procedures (Art. 10.2); of another document `<procedure code>.<type code or
 *   ordinal>` (Art. 10.3), so it may hold dots.
 * - The number and symbol hold no dot and no space (Vietnamese numbers and symbols are written
 *   with `/` and `-`, Decree 30/2020 Annex I), so the code reads back unambiguously: the holder
 *   before the first dot, the number after the last.
 */
const HOLDER_ID = /^(?:\d{12}|\d{10}(?:-\d{3})?)$/;
const TYPE_CODE = /^[0-9A-Za-zĐđ_-]+(?:\.[0-9A-Za-zĐđ_-]+)*$/;
const NUMBER_SYMBOL = /^[0-9A-Za-zĐđ/_-]+$/;

export const holderIdSchema = z.string().regex(HOLDER_ID, 'a personal identification number (12 digits) or an organisation code (10 digits, or 10-3)');
export const documentTypeCodeSchema = z.string().max(100).regex(TYPE_CODE, 'a document type code of letters, digits, - and _, parts joined by dots, such as GKS or 1.001193.GKS');
export const numberSymbolSchema = z.string().max(100).regex(NUMBER_SYMBOL, 'a document number and symbol of letters, digits, / and -, without spaces or dots, such as 125/2024/KS');

/** Who the document is of: their number, or (none on the document, Art. 9.2.b) their name and date (of birth, of establishment). */
export type DigitizationHolder = { id: string } | { id?: undefined; name: string; bornOn: string };

export interface DigitizationCodeParts {
  holder: DigitizationHolder;
  documentTypeCode: string;
  numberSymbol: string;
}

export function makeDigitizationCode({ holder, documentTypeCode, numberSymbol }: DigitizationCodeParts): string {
  if (holder.id === undefined) {
    if (holder.name.trim() === '' || holder.bornOn.trim() === '') throw new RangeError('without an identification number, the holder’s name and date of birth (or establishment) must be given (Circular 01 Art. 9.2.b, 10.2)');
  } else holderIdSchema.parse(holder.id);
  return `${holder.id ?? ''}.${documentTypeCodeSchema.parse(documentTypeCode)}.${numberSymbolSchema.parse(numberSymbol)}`;
}

const DIGITIZATION_CODE = /^(?<holder>[^.]*)\.(?<type>.+)\.(?<number>[^.]+)$/;

/** The parts of a code; the holder's name and date of an empty-ID code are in the metadata, not the code. */
export function parseDigitizationCode(code: string): { holderId: string | undefined; documentTypeCode: string; numberSymbol: string } {
  const groups = DIGITIZATION_CODE.exec(code)?.groups;
  if (!groups) throw new RangeError(`not a digitization code: ${code}`);
  const holderId = groups.holder === '' ? undefined : holderIdSchema.parse(groups.holder);
  return { holderId, documentTypeCode: documentTypeCodeSchema.parse(groups.type), numberSymbol: numberSymbolSchema.parse(groups.number) };
}

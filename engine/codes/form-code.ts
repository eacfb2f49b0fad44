import { z } from 'zod';

/**
 * The form code of an interactive electronic form (Circular 01 Art. 22.3.b):
 * `<administrative procedure code>.<symbol of the application or declaration form>`, e.g.
 * `1.001193.to-khai`. The procedure code is the one granted on the National Database of
 * administrative procedures (`1.001193`); a catalogue procedure whose national code is not known
 * for sure carries a local stand-in, `local:<catalogue folder>`, until it is (processes/README.md).
 */
const NATIONAL_PROCEDURE_CODE = /^\d\.\d{6}$/;
const LOCAL_PROCEDURE_CODE = /^local:[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const nationalProcedureCodeSchema = z.string().regex(NATIONAL_PROCEDURE_CODE, 'a national procedure code such as 1.001193');

/** What a model's qt:procedureCode may hold: the national code, or the local stand-in. */
export const procedureCodeSchema = z
  .string()
  .refine((code) => NATIONAL_PROCEDURE_CODE.test(code) || LOCAL_PROCEDURE_CODE.test(code), 'a national procedure code such as 1.001193, or local:<catalogue folder>');

/**
 * The symbol of a form within its procedure. The Circular leaves symbols to each procedure's own
 * rules (TK01, CT01, TK1-TS); written lower-case with hyphens they are also safe in URLs and file
 * names (`processes/<id>/forms/<symbol>.form.json`).
 */
export const FORM_SYMBOL = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const formSymbolSchema = z.string().regex(FORM_SYMBOL, 'a form symbol of lower-case letters, digits and hyphens, such as to-khai');

// The symbol has no dot, so the code splits at its last dot (a national procedure code has one).
const FORM_CODE = /^(?<procedure>\d\.\d{6}|local:[a-z0-9]+(?:-[a-z0-9]+)*)\.(?<symbol>[a-z0-9]+(?:-[a-z0-9]+)*)$/;

export const formCodeSchema = z.string().regex(FORM_CODE, 'a form code <procedure code>.<symbol> such as 1.001193.to-khai');

export interface FormCode {
  procedureCode: string;
  symbol: string;
}

export function makeFormCode({ procedureCode, symbol }: FormCode): string {
  return formCodeSchema.parse(`${procedureCodeSchema.parse(procedureCode)}.${formSymbolSchema.parse(symbol)}`);
}

export function parseFormCode(value: string): FormCode {
  const groups = FORM_CODE.exec(formCodeSchema.parse(value))!.groups!;
  return { procedureCode: groups.procedure!, symbol: groups.symbol! };
}

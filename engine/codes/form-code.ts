import { z } from 'zod';

/**
 * The code of an e-form: the procedure's code in the national database of administrative
 * procedures, a dot, and the form's symbol (Circular 01 Art. 22.3.b), e.g. `1.001193.to-khai`.
 */
export const formSymbolSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a form symbol: lower-case letters, digits and hyphens, e.g. to-khai');

export function makeFormCode(procedureCode: string, symbol: string): string {
  return `${procedureCode}.${formSymbolSchema.parse(symbol)}`;
}

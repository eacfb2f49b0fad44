import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formCodeSchema, makeFormCode, parseFormCode } from '../../../engine/codes/form-code.ts';

describe('the form code <procedure code>.<symbol> (Circular 01 Art. 22.3.b)', () => {
  it('is made from a national or local procedure code and a symbol, and parsed back', () => {
    expect(makeFormCode({ procedureCode: '1.001193', symbol: 'to-khai' })).toBe('1.001193.to-khai');
    expect(parseFormCode('1.001193.tk1-ts')).toEqual({ procedureCode: '1.001193', symbol: 'tk1-ts' });
    expect(parseFormCode('local:dang-ky-thuong-tru.ct01')).toEqual({ procedureCode: 'local:dang-ky-thuong-tru', symbol: 'ct01' });
    fc.assert(
      fc.property(fc.stringMatching(/^\d\.\d{6}$/), fc.stringMatching(/^[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,3}$/), (procedureCode, symbol) => {
        expect(parseFormCode(makeFormCode({ procedureCode, symbol }))).toEqual({ procedureCode, symbol });
      }),
    );
  });

  it('refuses symbols and procedure codes of another shape', () => {
    for (const symbol of ['TK01', 'to_khai', 'to khai', '-to', 'to-', 'tờ-khai', '']) expect(() => makeFormCode({ procedureCode: '1.001193', symbol }), symbol).toThrow();
    for (const procedureCode of ['1001193', '1.00119', 'local:', 'local:Dang Ky']) expect(() => makeFormCode({ procedureCode, symbol: 'to-khai' }), procedureCode).toThrow();
    for (const code of ['1.001193', '1.001193.', 'to-khai', '1.001193.to.khai']) expect(formCodeSchema.safeParse(code).success, code).toBe(false);
  });
});

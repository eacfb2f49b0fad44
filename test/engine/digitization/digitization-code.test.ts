import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeDigitizationCode, parseDigitizationCode } from '../../../engine/codes/digitization-code.ts';

const digits = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
const holderId = fc.oneof(digits(12), digits(10), fc.tuple(digits(10), digits(3)).map(([a, b]) => `${a}-${b}`));
const part = fc.string({ unit: fc.constantFrom(...'ABCDEFGHKLMNPQSTVXYĐabcdđ0123456789-_'), minLength: 1, maxLength: 8 });
const typeCode = fc.array(part, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
const numberSymbol = fc.array(part, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));

describe('the digitization code (Circular 01 Art. 10)', () => {
  it('is <holder ID>.<document type code>.<number, symbol>', () => {
    expect(makeDigitizationCode({ holder: { id: '001324012345' }, documentTypeCode: 'GKS', numberSymbol: '125/2024/KS' })).toBe('001324012345.GKS.125/2024/KS');
    // Art. 10.3: a document not from a procedure has <procedure code>.<type code> as its type code.
    expect(makeDigitizationCode({ holder: { id: '0101234567' }, documentTypeCode: '1.001193.GCN', numberSymbol: '12/QĐ-UBND' })).toBe('0101234567.1.001193.GCN.12/QĐ-UBND');
  });

  it('joins its parts in order and reads them back, whatever they are', () => {
    fc.assert(
      fc.property(holderId, typeCode, numberSymbol, (id, type, number) => {
        const code = makeDigitizationCode({ holder: { id }, documentTypeCode: type, numberSymbol: number });
        expect(code).toBe(`${id}.${type}.${number}`);
        expect(code).not.toMatch(/\s/);
        expect(parseDigitizationCode(code)).toEqual({ holderId: id, documentTypeCode: type, numberSymbol: number });
      }),
    );
  });

  it('leaves the identification empty when there is none, and then needs the name and date of birth (Art. 10.2, 9.2.b)', () => {
    fc.assert(
      fc.property(typeCode, numberSymbol, fc.string({ minLength: 1 }).filter((name) => name.trim() !== ''), (type, number, name) => {
        const code = makeDigitizationCode({ holder: { name, bornOn: '2024-03-15' }, documentTypeCode: type, numberSymbol: number });
        expect(code).toBe(`.${type}.${number}`);
        expect(parseDigitizationCode(code).holderId).toBeUndefined();
      }),
    );
    expect(() => makeDigitizationCode({ holder: { name: ' ', bornOn: '2024-03-15' }, documentTypeCode: 'GKS', numberSymbol: '1/KS' })).toThrow(/name and date of birth/);
    expect(() => makeDigitizationCode({ holder: { name: 'Nguyễn An', bornOn: '' }, documentTypeCode: 'GKS', numberSymbol: '1/KS' })).toThrow(/name and date of birth/);
  });

  it('refuses a part that would make the code ambiguous or wrong', () => {
    fc.assert(
      fc.property(holderId, typeCode, numberSymbol, fc.constantFrom(' ', '.', '\n'), (id, type, number, bad) => {
        expect(() => makeDigitizationCode({ holder: { id }, documentTypeCode: type, numberSymbol: `${number}${bad}1` })).toThrow();
      }),
    );
    expect(() => makeDigitizationCode({ holder: { id: '12345' }, documentTypeCode: 'GKS', numberSymbol: '1/KS' })).toThrow();
    expect(() => makeDigitizationCode({ holder: { id: '001324012345' }, documentTypeCode: '', numberSymbol: '1/KS' })).toThrow();
    expect(() => makeDigitizationCode({ holder: { id: '001324012345' }, documentTypeCode: 'GKS..X', numberSymbol: '1/KS' })).toThrow();
  });
});

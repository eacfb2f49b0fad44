import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { compileCondition, Conditions } from '../../../engine/compile/conditions.ts';

/** What feelin itself says, evaluating the source afresh: the reference a compiled condition must match. */
function feelinHolds(source: string, variables: Record<string, unknown>): boolean {
  try {
    return evaluate(source, variables).value === true;
  } catch {
    return false;
  }
}

// Scalars, and the values where FEEL differs from a plain comparison: singleton lists, nested
// lists, contexts, dates, a date-like string, an own property holding undefined.
const VALUES: unknown[] = [
  true, false, null, undefined, 0, 1, -2.5, Number.NaN, '', 'true', 'false', 'null', 'approved', 'Approved', 'đồng ý', '2026-11-23',
  [true], [false], ['approved'], [null], [], [[true]], [true, true], { value: true }, new Date('2026-11-23T08:00:00Z'),
];

// The shapes compiled to a direct comparison, and near misses that must go to feelin.
const SOURCES = [
  'complete', 'x', 'x = true', 'x = false', 'x = null', 'x = "approved"', 'x="approved"', 'x  =  true', 'x = "đồng ý"', 'x = ""',
  'date', 'count', 'now', 'time = true', 'duration = "approved"',
  'true', 'false', 'null', 'not', 'x != true', 'x = 1', '(x)', 'not(x)', 'x = true and y', 'x y', 'x - y = true', 'x = "a\\"b"',
];

describe('conditions compiled once per definition', () => {
  it.each(SOURCES)('%s gives feelin’s own result for every value', (source) => {
    const condition = compileCondition(source);
    for (const value of VALUES) {
      // Variables named like builtins and literals, and names FEEL could read together with x (names may contain spaces and dashes).
      for (const variables of [
        { x: value, complete: value, date: value, count: value, time: value, duration: value },
        { x: value, complete: value, true: false, ' null ': 1, 'false alarm': true },
        { x: value, y: true, 'x y': true, 'x - y': true },
        {},
      ]) {
        expect({ source, value, holds: condition(variables) }).toEqual({ source, value, holds: feelinHolds(source, variables) });
      }
    }
  });

  it('names a condition by its normalized source and evaluates it over the variables', () => {
    const conditions = new Conditions();
    expect(conditions.add('  = canBoSung = true ')).toBe('canBoSung = true');
    expect(conditions.add('= documents >= 3 and valid')).toBe('documents >= 3 and valid');
    expect(conditions.holds('canBoSung = true', { canBoSung: true })).toBe(true);
    expect(conditions.holds('canBoSung = true', { canBoSung: 'true' })).toBe(false);
    expect(conditions.holds('documents >= 3 and valid', { documents: 3, valid: true })).toBe(true);
    expect(conditions.holds('documents >= 3 and valid', { documents: 2, valid: true })).toBe(false);
  });

  it('refuses to evaluate a condition its definition never compiled', () => {
    expect(() => new Conditions().holds('complete', { complete: true })).toThrow(/not compiled/);
  });
});

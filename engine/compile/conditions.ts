import { evaluate } from 'feelin';

/**
 * Conditions are FEEL expressions (the DMN/BPMN expression language, evaluated by feelin),
 * never JavaScript: a model is data and is never executed as code. A leading `=` (Camunda's
 * marker for an expression) is accepted.
 */
export function normalizeExpression(expression: string): string {
  return expression.trim().replace(/^=\s*/, '');
}

/** Why the expression cannot be read, or undefined when it is valid FEEL. */
export function expressionProblem(expression: string): string | undefined {
  try {
    evaluate(normalizeExpression(expression), {});
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A condition compiled once for its definition: whether it holds over an instance's variables. */
export type Condition = (variables: Record<string, unknown>) => boolean;

/**
 * The conditions of one definition, each compiled once when the definition is compiled and
 * looked up by its (normalized) source at every evaluation.
 */
export class Conditions {
  private readonly compiled = new Map<string, Condition>();
  private readonly problems = new Map<string, string | undefined>();

  /**
   * Why an expression of the definition cannot be read (see expressionProblem), checked once per
   * expression: feelin parses at every check, and generated or copied models repeat the same
   * conditions (`complete`) at every gateway.
   */
  problem(expression: string): string | undefined {
    if (!this.problems.has(expression)) this.problems.set(expression, expressionProblem(expression));
    return this.problems.get(expression);
  }

  /** Compiles a valid expression of the definition; returns the source its guards name it by. */
  add(expression: string): string {
    const source = normalizeExpression(expression);
    if (!this.compiled.has(source)) this.compiled.set(source, compileCondition(source));
    return source;
  }

  holds(source: string, variables: Record<string, unknown>): boolean {
    const condition = this.compiled.get(source);
    if (!condition) throw new Error(`condition "${source}" was not compiled with its definition`);
    return condition(variables);
  }
}

/**
 * feelin has no way to evaluate an expression parsed beforehand: every call parses the source
 * again (with the variables' names, since FEEL names may contain spaces), about a tenth of a
 * millisecond. The shapes modellers write almost always (`complete`, `canBoSung = true`,
 * `reviewOutcome = "approved"`) are therefore compiled to a direct comparison, and every other
 * expression goes to feelin. The direct comparison is FEEL's own result, not an approximation
 * (test/engine/compile/conditions.test.ts checks it against feelin): it only decides for a
 * variable holding a JSON scalar, and for anything else (a list, which FEEL compares as a
 * singleton, a date, a missing variable) feelin does. feelin reads a variable named like a
 * literal (`true`) in place of the literal, so such a variable also sends the literal forms to it.
 */
export function compileCondition(source: string): Condition {
  const feel: Condition = (variables) => feelHolds(source, variables);
  const shape = DIRECT_SHAPE.exec(source);
  if (!shape || RESERVED_NAMES.has(shape[1]!)) return feel;
  const name = shape[1]!;
  const literal = shape[2];
  // A bare name holds when the variable is `true`; `name = literal` when it equals the literal.
  const expected: unknown = literal === undefined ? true : literalValue(literal);
  const word = literal === 'true' || literal === 'false' || literal === 'null' ? literal : undefined;
  return (variables) => {
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (!isScalar(value) || (word !== undefined && Object.keys(variables).some((key) => key.includes(word)))) return feel(variables);
    return value === expected;
  };
}

/** A plain ASCII name, alone or compared (`=`) with true, false, null or a string without escapes. */
const DIRECT_SHAPE = /^([A-Za-z_][A-Za-z0-9_]*)(?:[ \t]*=[ \t]*(true|false|null|"[^"\\]*"))?$/;

/** FEEL keywords and literals: `true` alone is the literal, not a variable named true. */
const RESERVED_NAMES = new Set(['true', 'false', 'null', 'and', 'or', 'not', 'if', 'then', 'else', 'for', 'in', 'return', 'some', 'every', 'satisfies', 'instance', 'of', 'function', 'external', 'between']);

/** A condition holds only when it evaluates to `true`; a missing variable makes it false, not an error. */
function feelHolds(source: string, variables: Record<string, unknown>): boolean {
  try {
    return evaluate(source, variables).value === true;
  } catch {
    return false;
  }
}

function literalValue(literal: string): unknown {
  if (literal === 'true') return true;
  if (literal === 'false') return false;
  if (literal === 'null') return null;
  return literal.slice(1, -1);
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

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

/** A condition holds only when it evaluates to `true`; a missing variable makes it false, not an error. */
export function conditionHolds(expression: string, variables: Record<string, unknown>): boolean {
  try {
    return evaluate(normalizeExpression(expression), variables).value === true;
  } catch {
    return false;
  }
}

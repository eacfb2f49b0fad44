import { parse, parseExpressionAt, type Expression, type Node, type PrivateIdentifier, type Super } from 'acorn';
import type { EventTrigger, ProcessGraph } from '../bpmn/process-graph.ts';

/**
 * bpmn-engine's (paed01's bpmn-engine / bpmn-elements) conditions, translated into the FEEL the
 * engine evaluates (conditions.ts), never run: a model is data, and JavaScript in it is parsed
 * (acorn) and read, not executed. Two dialects are read (docs/bpmn-coverage.md, "Conditions
 * written for bpmn-engine"):
 *
 * - an expression `${…}` (the whole condition, no language or a JavaScript one);
 * - a JavaScript condition (`language="javascript"`, `js`, `text/javascript`, `ecmascript`) whose
 *   whole body is one call `next(null, <expression>)`: bpmn-engine takes the flow when the
 *   value handed to `next` is truthy.
 *
 * The expression must be pure: literals; the instance's variables as `environment.variables.x`,
 * `this.environment.variables.x`, `variables.x` or `environment.output.x` (the peer's process
 * output, where its tasks' results land: the engine merges a task's result into the variables),
 * with `.name` or `['name']` steps; `!`, `&&`, `||`; `===`, `!==`, `==`, `!=`, `<`, `<=`, `>`,
 * `>=`; `+`, `-`, `*`, `/`, unary `-`; parentheses. Anything else (a service call, `this.x`,
 * `environment.form`, an assignment, a function, `next(new Error…)`, several statements) is
 * refused with the reason, naming the element.
 *
 * The translation is JavaScript's meaning, with three documented readings where FEEL has no
 * equivalent (test/engine/compile/condition-dialects.test.ts checks it against an interpreter of
 * JavaScript's rules on generated variables):
 * - null and a missing variable are one value (FEEL has only null): `null` and `undefined` read
 *   alike, and a step into a missing value reads missing (a script would throw there);
 * - where JavaScript would convert a value's type (ordering or arithmetic on values that are not
 *   both numbers or both texts, `==` between values of different types), divide by zero, or
 *   compare objects or lists (by identity), the condition does not hold, whatever the rest says
 *   (the engine does not guess a conversion); an operand `&&`/`||` skips is not evaluated;
 * - names JavaScript gives every value (`length`, `constructor`, `toString`…) and array indices
 *   are refused, so a step reads an object's own field or nothing, as `get value` does.
 */

/** A condition read: its FEEL, or why it cannot be (Vietnamese and English). */
export type DialectReading = { feel: string } | { problem: { vi: string; en: string } };

/**
 * A JavaScript condition that fails bpmn-engine's run whenever it is evaluated, and why (English,
 * as an instance's failure reads): `next(new Error(…))`, or a value whose reading certainly throws
 * (a step into a name bpmn-engine's script scope or environment never has, `this.supported.x`,
 * `environment.form.x`). Not a value: the flow it guards fails the instance where the peer
 * evaluates it (engine/compile/gateways.ts).
 */
export type FailingCondition = { fails: string };

/** Languages bpmn-engine runs as JavaScript. */
const JAVASCRIPT = /^(?:(?:text|application)\/)?(?:javascript|ecmascript|js)$/i;

/** A `${…}` expression making up the whole condition. */
const EXPRESSION = /^\$\{([\s\S]*)\}$/;

/**
 * The FEEL of a condition written in a bpmn-engine dialect, or why it cannot be translated;
 * undefined when the condition is in neither dialect (FEEL, or another language, which the
 * compiler's own checks read or refuse).
 */
export function readPeerCondition(condition: string, language: string | undefined): DialectReading | FailingCondition | SettingCondition | undefined {
  const source = condition.trim();
  if (language !== undefined && JAVASCRIPT.test(language.trim())) return readScript(source);
  const expression = EXPRESSION.exec(source);
  if (language === undefined && expression) return readExpression(expression[1]!);
  return undefined;
}

function readScript(source: string): DialectReading | FailingCondition | SettingCondition {
  let program;
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'script' });
  } catch (error) {
    return refused(`không đọc được mã JavaScript: ${messageOf(error)}`, `its JavaScript cannot be read: ${messageOf(error)}`);
  }
  if (!readsName(program, 'next')) {
    return refused(
      'mã JavaScript không bao giờ gọi next: trình chạy mã của bpmn-engine chỉ quyết định luồng khi next được gọi, nên lượt chạy sẽ dừng mãi ở đó',
      "its JavaScript never calls next: bpmn-engine's script runner decides the flow only when next is called, so its run would wait there for ever",
    );
  }
  if (program.body.length > 1) return readSettingScript(program.body);
  const [statement] = program.body;
  return readNext(statement?.type === 'ExpressionStatement' ? statement.expression : undefined);
}

/** A condition's `next(…)` call (its value read with the script's local names put in: `locals`). */
function readNext(call: Expression | undefined, locals: ReadonlyMap<string, Expression> = new Map()): DialectReading | FailingCondition {
  if (call?.type !== 'CallExpression' || call.callee.type !== 'Identifier' || call.callee.name !== 'next') {
    return refused('mã JavaScript không phải một lời gọi next(null, <biểu thức>) duy nhất', 'its JavaScript is not a single call next(null, <expression>)');
  }
  const [error, written] = call.arguments;
  // `new X(…)` is an object (or throws), a truthy literal is truthy: either way bpmn-engine's callback gets an error.
  if (error?.type === 'NewExpression') return { fails: `its JavaScript condition hands next an error (${snippet(error.callee)}): bpmn-engine fails the run there` };
  if (error?.type === 'Literal' && error.value !== null && !(error.value instanceof RegExp) && Boolean(error.value)) return { fails: `its JavaScript condition hands next an error (${error.raw ?? ''}): bpmn-engine fails the run there` };
  if (call.arguments.length === 1 && error !== undefined && error.type !== 'SpreadElement' && !isNothing(error)) {
    return refused('mã JavaScript báo lỗi (next với một lỗi): luồng không bao giờ được chọn mà làm hỏng lượt chạy', 'its JavaScript reports an error (next with an error): the flow is never taken, the run fails');
  }
  if (call.arguments.length !== 2 || error === undefined || error.type === 'SpreadElement' || !isNothing(error) || written === undefined || written.type === 'SpreadElement') {
    return refused('mã JavaScript không phải một lời gọi next(null, <biểu thức>) duy nhất', 'its JavaScript is not a single call next(null, <expression>)');
  }
  const result = withLocals(written, locals);
  const thrown = certainThrow(result);
  if (thrown !== undefined) return { fails: `its JavaScript condition reads ${thrown}, which bpmn-engine's script never has (a TypeError): bpmn-engine fails the run there` };
  return translate(result);
}

/**
 * A value a JavaScript condition gives a variable while it is evaluated
 * (`environment.variables.loopback = false`): a literal, JSON's scalars.
 */
export type VariableValue = string | number | boolean | null;

/**
 * A JavaScript condition that reads, then sets variables: `const loopback =
 * environment.variables.loopback; environment.variables.loopback = false; next(null, loopback);`
 * (bpmn-elements' misp-loopback.bpmn: take the flow back once). Its FEEL is read on the variables
 * as they were, and `sets` are the values the peer gives them whenever it evaluates the condition,
 * taken or not; only an exclusive choice, which evaluates its flows one after the other, runs it
 * (engine/compile/gateways.ts).
 */
export interface SettingCondition {
  feel: string;
  sets: Record<string, VariableValue>;
}

const NOT_SETTING_SHAPE = {
  vi: 'mã JavaScript không phải: khai báo const/let đọc biến, rồi gán giá trị cố định cho biến, rồi một lời gọi next(null, <biểu thức>)',
  en: 'its JavaScript is not: const/let declarations reading variables, then assignments of literals to variables, then one call next(null, <expression>)',
};

/**
 * A script of declarations, then assignments of literals to variables, then `next(null, …)`: the
 * declarations are read before anything is set, so their names stand for the variables as they
 * were; `next`'s own expression may not read a variable the script has set (it would see the new value).
 */
function readSettingScript(statements: readonly Node[]): DialectReading | SettingCondition | FailingCondition {
  const locals = new Map<string, Expression>();
  const sets: Record<string, VariableValue> = {};
  const last = statements.at(-1)!;
  for (const statement of statements.slice(0, -1)) {
    if (statement.type === 'VariableDeclaration' && Object.keys(sets).length === 0 && (statement as unknown as { kind: string }).kind !== 'var') {
      const declarations = (statement as unknown as { declarations: Array<{ id: Node; init?: Expression | null }> }).declarations;
      for (const { id, init } of declarations) {
        const name = id.type === 'Identifier' ? (id as unknown as { name: string }).name : undefined;
        if (name === undefined || init == null || SCRIPT_SCOPE.has(name) || locals.has(name)) return refused(NOT_SETTING_SHAPE.vi, NOT_SETTING_SHAPE.en);
        const value = withLocals(init, locals);
        // Evaluated whether or not next uses it: it must read purely, and not certainly throw.
        const thrown = certainThrow(value);
        if (thrown !== undefined) return { fails: `its JavaScript condition reads ${thrown}, which bpmn-engine's script never has (a TypeError): bpmn-engine fails the run there` };
        const reading = translate(value);
        if ('problem' in reading) return reading;
        locals.set(name, value);
      }
      continue;
    }
    const assigned = statement.type === 'ExpressionStatement' ? (statement as unknown as { expression: Expression }).expression : undefined;
    if (assigned?.type !== 'AssignmentExpression' || assigned.operator !== '=' || assigned.left.type !== 'MemberExpression' || assigned.right.type !== 'Literal') return refused(NOT_SETTING_SHAPE.vi, NOT_SETTING_SHAPE.en);
    const name = setVariableName(assigned.left);
    const value = assigned.right.value;
    // JSON's scalars only (no regular expression, no bigint); a number as FEEL reads it.
    const scalar = value === null || typeof value === 'boolean' || typeof value === 'string' || (typeof value === 'number' && /^\d+(?:\.\d+)?$/.test(String(value)));
    if (name === undefined || !scalar) return refused(NOT_SETTING_SHAPE.vi, NOT_SETTING_SHAPE.en);
    sets[name] = value;
  }
  const call = last.type === 'ExpressionStatement' ? (last as unknown as { expression: Expression }).expression : undefined;
  const read = call?.type === 'CallExpression' ? call.arguments[1] : undefined;
  if (read !== undefined && read.type !== 'SpreadElement' && readsAnyOf(read, new Set(Object.keys(sets)))) {
    return refused('next đọc một biến mà chính mã đã gán (nó sẽ thấy giá trị mới)', 'next reads a variable the script itself has set (it would see the new value)');
  }
  const reading = readNext(call, locals);
  if (!('feel' in reading) || Object.keys(sets).length === 0) return reading;
  return { feel: reading.feel, sets };
}

/** The variable an assignment sets: `environment.variables.name` (or under another root), one step, a FEEL name. */
function setVariableName(target: Expression): string | undefined {
  try {
    const read = variablePath(target);
    return FEEL_NAME.test(read.feel) ? read.feel : undefined;
  } catch (error) {
    if (error instanceof Untranslatable) return undefined;
    throw error;
  }
}

/** Whether the expression reads one of the variables named (under any root). */
function readsAnyOf(node: Node, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  if (node.type === 'MemberExpression') {
    try {
      const read = variablePath(node as Expression);
      const name = /^(?:get value\()*([A-Za-z_][A-Za-z0-9_]*)/.exec(read.feel)?.[1];
      if (name !== undefined && names.has(name)) return true;
    } catch (error) {
      if (!(error instanceof Untranslatable)) throw error;
    }
  }
  return Object.values(node).some((child) => (Array.isArray(child) ? child.some((each) => isNode(each) && readsAnyOf(each, names)) : isNode(child) && readsAnyOf(child, names)));
}

/** Whether the name occurs anywhere in the script (a call of it, or it handed on). */
function readsName(node: Node, name: string): boolean {
  if (node.type === 'Identifier' && (node as unknown as { name: string }).name === name) return true;
  return Object.values(node).some((child) => (Array.isArray(child) ? child.some((each) => isNode(each) && readsName(each, name)) : isNode(child) && readsName(child, name)));
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The expression with each local name the script declared put in as the expression it was given. */
function withLocals(node: Expression, locals: ReadonlyMap<string, Expression>): Expression {
  if (locals.size === 0) return node;
  const replace = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((each) => replace(each));
    if (!isNode(value)) return value;
    if (value.type === 'Identifier' && key !== 'property' && locals.has((value as unknown as { name: string }).name)) return locals.get((value as unknown as { name: string }).name);
    return Object.fromEntries(Object.entries(value).map(([field, child]) => [field, field === 'property' && !(value as unknown as { computed?: boolean }).computed ? child : replace(child, field)]));
  };
  return replace(node) as Expression;
}

/**
 * What bpmn-engine hands a JavaScript condition (bpmn-elements' ExecutionScope, the `next`
 * callback and the timers of its script runner) and what its Environment holds (own fields and
 * methods): a name outside these, and outside JavaScript's own globals, reads undefined there.
 */
const SCRIPT_SCOPE = new Set(['id', 'type', 'fields', 'content', 'properties', 'environment', 'logger', 'resolveExpression', 'ActivityError', 'BpmnError', 'next', 'setTimeout', 'clearTimeout', 'console']);
const ENVIRONMENT_MEMBERS = new Set([
  'options', 'expressions', 'extensions', 'output', 'scripts', 'timers', 'settings', 'Logger', 'variables', 'services',
  'getState', 'recover', 'clone', 'assignVariables', 'assignSettings', 'getScript', 'registerScript', 'getServiceByName', 'resolveExpression', 'addService',
]);

/**
 * The step whose reading certainly throws when the expression is evaluated (a step into a value
 * that is certainly undefined: `this.supported.x`, `environment.form.x`), or undefined when none
 * certainly does. Only operands JavaScript always evaluates are looked into (the left of `&&`,
 * `||`, not the right); anything unsure is not a certain throw, and is translated or refused as before.
 */
function certainThrow(node: Expression): string | undefined {
  switch (node.type) {
    case 'MemberExpression':
      if (node.optional || node.object.type === 'Super') return undefined;
      if (isCertainlyUndefined(node.object)) return snippet(node);
      return certainThrow(node.object);
    case 'BinaryExpression':
      return (node.left.type === 'PrivateIdentifier' ? undefined : certainThrow(node.left)) ?? certainThrow(node.right);
    case 'LogicalExpression':
      return certainThrow(node.left);
    case 'UnaryExpression':
      return node.operator === 'typeof' || node.operator === 'delete' ? undefined : certainThrow(node.argument);
    default:
      return undefined;
  }
}

/** `this.name` or `environment.name` (also `this.environment.name`) for a name neither bpmn-engine nor JavaScript gives a value. */
function isCertainlyUndefined(node: Expression | Super): boolean {
  if (node.type !== 'MemberExpression' || node.computed || node.optional || node.property.type !== 'Identifier') return false;
  const name = node.property.name;
  if (name in Object.prototype) return false;
  const owner = node.object;
  if (owner.type === 'ThisExpression') return !SCRIPT_SCOPE.has(name) && !(name in globalThis);
  const isEnvironment = (owner.type === 'Identifier' && owner.name === 'environment') || (owner.type === 'MemberExpression' && !owner.computed && owner.object.type === 'ThisExpression' && owner.property.type === 'Identifier' && owner.property.name === 'environment');
  return isEnvironment && !ENVIRONMENT_MEMBERS.has(name);
}

/**
 * The FEEL of a value written as a bpmn-engine expression `${…}` (e.g. a timer's
 * `${environment.variables.duration}`, a multi-instance collection `${environment.variables.list}`):
 * the expression's value, not its truth. The machine evaluates it where the value is needed (a
 * timer, read as the ISO 8601 text it would hold, when armed: engine/compile/timer-expressions.ts;
 * a collection or count when the activity starts); undefined when the text is not such an expression.
 */
export function readPeerValue(text: string): DialectReading | undefined {
  const expression = EXPRESSION.exec(text.trim());
  return expression ? readExpression(expression[1]!, valueFeel) : undefined;
}

function valueFeel(expression: Expression): DialectReading {
  try {
    const value = valueOf(expression);
    return { feel: guarded(value.guard, value.feel) };
  } catch (error) {
    if (error instanceof Untranslatable) return { problem: error.reason };
    throw error;
  }
}

function readExpression(body: string, read: (expression: Expression) => DialectReading = translate): DialectReading {
  let expression: Expression;
  try {
    expression = parseExpressionAt(body, 0, { ecmaVersion: 'latest' });
  } catch (error) {
    return refused(`không đọc được biểu thức \${…}: ${messageOf(error)}`, `its \${…} expression cannot be read: ${messageOf(error)}`);
  }
  if (body.slice(expression.end).trim() !== '') return refused('biểu thức ${…} có phần thừa sau biểu thức', 'its ${…} expression has more after the expression');
  return read(expression);
}

function translate(expression: Expression): DialectReading {
  try {
    const truth = truthOf(expression);
    return { feel: truth.guard === undefined ? truth.feel : `(${truth.guard}) and (${truth.feel})` };
  } catch (error) {
    if (error instanceof Untranslatable) return { problem: error.reason };
    throw error;
  }
}

function refused(vi: string, en: string): DialectReading {
  return { problem: { vi, en } };
}

class Untranslatable extends Error {
  constructor(readonly reason: { vi: string; en: string }) {
    super(reason.en);
  }
}

function untranslatable(vi: string, en: string): never {
  throw new Untranslatable({ vi, en });
}

/**
 * What is statically known of a value's type: literals and comparisons have one; a variable may
 * hold anything (`unknown`); `nothing` is null/undefined.
 */
type ValueType = 'number' | 'string' | 'boolean' | 'nothing' | 'unknown';

/**
 * A translated expression: its FEEL, and the FEEL condition under which evaluating it involves
 * no conversion JavaScript would make (undefined: always). The FEEL is only meaningful, and
 * never null where a boolean is expected, when the guard holds.
 */
interface Translated {
  feel: string;
  guard?: string | undefined;
}

interface Value extends Translated {
  type: ValueType;
}

/**
 * An operation evaluated only where its own guard holds (null elsewhere, which the enclosing
 * guard makes the condition false): feelin evaluates every operand and throws on some type
 * mismatches (ordering two contexts), which would fail the whole condition.
 */
function guarded(guard: string | undefined, feel: string): string {
  return guard === undefined ? feel : `(if ${guard} then ${feel} else null)`;
}

/** The FEEL conjunction of the guards given (undefined when none). */
function allOf(...guards: Array<string | undefined>): string | undefined {
  const present = guards.filter((guard): guard is string => guard !== undefined);
  return present.length === 0 ? undefined : present.map((guard) => `(${guard})`).join(' and ');
}

/** Whether the expression is JavaScript truthy, as a FEEL boolean. */
function truthOf(node: Expression): Translated {
  if (node.type === 'LogicalExpression' && (node.operator === '&&' || node.operator === '||')) {
    const left = truthOf(node.left);
    const right = truthOf(node.right);
    // The right operand is evaluated only when the left one does not decide.
    const rightGuard = right.guard === undefined ? undefined : node.operator === '&&' ? `if ${left.feel} then ${right.guard} else true` : `if ${left.feel} then true else ${right.guard}`;
    return { feel: `(${left.feel}) ${node.operator === '&&' ? 'and' : 'or'} (${right.feel})`, guard: allOf(left.guard, rightGuard) };
  }
  if (node.type === 'UnaryExpression' && node.operator === '!') {
    const operand = truthOf(node.argument);
    return { feel: `not(${operand.feel})`, guard: operand.guard };
  }
  if (node.type === 'ConditionalExpression') return choice(truthOf(node.test), truthOf(node.consequent), truthOf(node.alternate));
  const value = valueOf(node);
  return { feel: truthiness(value), guard: value.guard };
}

/** `test ? consequent : alternate`: only the branch the test picks is evaluated, so only its guard counts. */
function choice(test: Translated, consequent: Translated, alternate: Translated): Translated {
  const branchGuard = consequent.guard === undefined && alternate.guard === undefined ? undefined : `if (${test.feel}) then (${consequent.guard ?? 'true'}) else (${alternate.guard ?? 'true'})`;
  return { feel: `(if (${test.feel}) then (${consequent.feel}) else (${alternate.feel}))`, guard: allOf(test.guard, branchGuard) };
}

/** JavaScript's truthiness of a value: false for nothing, false, 0 and "", true for the rest (objects and lists too). */
function truthiness(value: Value): string {
  switch (value.type) {
    case 'boolean':
      return value.feel;
    case 'number':
      return `${value.feel} != 0`;
    case 'string':
      return `${value.feel} != ""`;
    case 'nothing':
      return 'false';
    case 'unknown':
      return `if ${value.feel} = null then false else if ${value.feel} instance of boolean then ${value.feel} else if ${value.feel} instance of number then ${value.feel} != 0 else if ${value.feel} instance of string then ${value.feel} != "" else true`;
  }
}

const COMPARISONS = new Set(['===', '!==', '==', '!=', '<', '<=', '>', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/']);

function valueOf(node: Expression): Value {
  switch (node.type) {
    case 'Literal':
      return literal(node.value, node.raw ?? '');
    case 'Identifier':
      if (node.name === 'undefined') return { feel: 'null', type: 'nothing' };
      return untranslatable(`đọc tên ${node.name}, không phải biến của thể hiện (environment.variables.…)`, `it reads the name ${node.name}, not an instance variable (environment.variables.…)`);
    case 'MemberExpression':
      return variablePath(node);
    case 'UnaryExpression': {
      if (node.operator === '!') return { ...truthOf(node), type: 'boolean' };
      if (node.operator === '-') {
        const operand = valueOf(node.argument);
        const typed = typeGuard([operand], ['number'], '-');
        return { feel: guarded(typed, `-(${operand.feel})`), type: 'number', guard: allOf(operand.guard, typed) };
      }
      return unsupportedOperator(node.operator);
    }
    case 'BinaryExpression': {
      if (node.left.type === 'PrivateIdentifier') return unsupportedOperator(node.operator);
      const left = valueOf(node.left);
      const right = valueOf(node.right);
      if (COMPARISONS.has(node.operator)) return comparison(node.operator, left, right);
      if (ARITHMETIC.has(node.operator)) return arithmetic(node.operator, left, right);
      return unsupportedOperator(node.operator);
    }
    case 'ChainExpression':
      // `a?.b`: a step into nothing reads nothing, which is already how every step is read.
      return valueOf(node.expression);
    case 'ConditionalExpression': {
      const [consequent, alternate] = [valueOf(node.consequent), valueOf(node.alternate)];
      return { ...choice(truthOf(node.test), consequent, alternate), type: consequent.type === alternate.type ? consequent.type : 'unknown' };
    }
    case 'LogicalExpression':
      if (node.operator === '??') {
        // Null and missing are one value (the first reading): `??` gives the right operand for either, evaluated only then.
        const [left, right] = [valueOf(node.left), valueOf(node.right)];
        const type = left.type === 'nothing' ? right.type : left.type === right.type ? left.type : 'unknown';
        const rightGuard = right.guard === undefined ? undefined : `if (${left.feel}) = null then ${right.guard} else true`;
        return { feel: `(if (${left.feel}) = null then (${right.feel}) else (${left.feel}))`, type, guard: allOf(left.guard, rightGuard) };
      }
      return untranslatable(`dùng giá trị của ${node.operator} ngoài vai trò điều kiện (trong một phép so sánh hay phép tính)`, `it uses the value of ${node.operator} other than as a condition (inside a comparison or arithmetic)`);
    case 'CallExpression': {
      const callee = snippet(node.callee);
      // bpmn-engine's services are functions its host hands the engine at run time: the model does not hold them.
      if (/^(?:this\.)?(?:environment\.)?services\./.test(callee)) {
        return untranslatable(`gọi một hàm (${callee}), một dịch vụ do máy chủ của bpmn-engine cung cấp lúc chạy, mô hình không chứa nó; động cơ không bao giờ gọi hàm`, `it calls a function (${callee}), a service bpmn-engine's host supplies at run time, which the model does not hold; the engine never calls functions`);
      }
      return untranslatable(`gọi một hàm (${callee}), việc động cơ không bao giờ làm`, `it calls a function (${callee}), which the engine never does`);
    }
    case 'AssignmentExpression':
    case 'UpdateExpression':
      return untranslatable('gán giá trị (một điều kiện không được thay đổi gì)', 'it assigns a value (a condition must change nothing)');
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return untranslatable('định nghĩa một hàm', 'it defines a function');
    default:
      return untranslatable(`dùng cấu trúc JavaScript ${node.type}, ngoài phần được dịch (giá trị, biến, so sánh, phép tính, !, &&, ||)`, `it uses the JavaScript construct ${node.type}, outside what is translated (literals, variables, comparisons, arithmetic, !, &&, ||)`);
  }
}

function unsupportedOperator(operator: string): never {
  return untranslatable(`dùng phép toán ${operator}, ngoài phần được dịch`, `it uses the operator ${operator}, outside what is translated`);
}

/** Number literals are written as FEEL reads them (no exponent); null is nothing. */
function literal(value: unknown, raw: string): Value {
  if (value === null) return { feel: 'null', type: 'nothing' };
  if (typeof value === 'boolean') return { feel: String(value), type: 'boolean' };
  if (typeof value === 'string') return { feel: feelString(value), type: 'string' };
  if (typeof value === 'number' && /^\d+(?:\.\d+)?$/.test(String(value))) return { feel: String(value), type: 'number' };
  return untranslatable(`dùng giá trị ${raw}, ngoài phần được dịch`, `it uses the literal ${raw}, outside what is translated`);
}

/** A FEEL string literal of any text: quotes, backslashes and control characters escaped. */
function feelString(text: string): string {
  const escaped = text.replace(/[\\"]/g, (character) => `\\${character}`).replace(/\p{Cc}/gu, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${escaped}"`;
}

/** The roots an instance variable is read from, as written in bpmn-engine's scripts and expressions. */
const ROOTS = ['environment.variables', 'this.environment.variables', 'variables', 'environment.output', 'this.environment.output'];

/** A plain name FEEL reads as a variable (not a FEEL keyword). */
const FEEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FEEL_KEYWORDS = new Set(['true', 'false', 'null', 'and', 'or', 'not', 'if', 'then', 'else', 'for', 'in', 'return', 'some', 'every', 'satisfies', 'instance', 'of', 'function', 'external', 'between']);

/**
 * Names a JavaScript value has from its prototype (`length`, `toString`…), which no variable map
 * gives: the variables are an object; a field's owner may be any value (`"text".small` is a function).
 */
function isPrototypeName(name: string, ofVariables: boolean): boolean {
  const prototypes = ofVariables ? [Object.prototype] : [Object.prototype, Array.prototype, String.prototype, Number.prototype, Boolean.prototype, Function.prototype];
  return prototypes.some((prototype) => name in prototype);
}

/**
 * `environment.variables.a.b['c-d']` → `get value(get value(a, "b"), "c-d")`: the variable,
 * then each field by `get value`, which answers null for a missing field or a value that is not
 * a context (a missing one, a number, a list) as JavaScript answers undefined.
 */
function variablePath(node: Expression): Value {
  const steps: string[] = [];
  let current: Expression | Super = node;
  while (current.type === 'MemberExpression') {
    steps.unshift(memberName(current.property, current.computed, node));
    current = current.object;
  }
  if (current.type === 'ThisExpression') steps.unshift('this');
  else if (current.type === 'Identifier') steps.unshift(current.name);
  else return untranslatable(`đọc ${snippet(node)}, không phải biến của thể hiện`, `it reads ${snippet(node)}, not an instance variable`);
  const path = steps.join('.');
  const root = ROOTS.find((each) => path.startsWith(`${each}.`));
  if (root === undefined && /^(?:this\.)?(?:content|properties|fields)\./.test(path)) {
    return untranslatable(
      `đọc ${path}, thông điệp mà bpmn-engine dùng khi xét điều kiện, không phải biến của thể hiện (environment.variables.…)`,
      `it reads ${path}, the message bpmn-engine evaluates the condition with, not an instance variable (environment.variables.…)`,
    );
  }
  if (root === undefined) {
    return untranslatable(
      `đọc ${path}, không phải biến của thể hiện (environment.variables.…, variables.…, environment.output.…)`,
      `it reads ${path}, not an instance variable (environment.variables.…, variables.…, environment.output.…)`,
    );
  }
  const [name, ...fields] = steps.slice(root.split('.').length);
  if (!FEEL_NAME.test(name!) || FEEL_KEYWORDS.has(name!)) {
    return untranslatable(`đọc biến "${name}", tên không phải một tên FEEL (chữ, chữ số, _)`, `it reads the variable "${name}", whose name is not a FEEL name (letters, digits, _)`);
  }
  for (const [index, step] of [name!, ...fields].entries()) {
    if (isPrototypeName(step, index === 0) || /^\d+$/.test(step)) {
      return untranslatable(`đọc "${step}", một thuộc tính JavaScript có sẵn hoặc một chỉ số mảng, không phải trường của biến`, `it reads "${step}", a built-in JavaScript property or an array index, not a field of a variable`);
    }
  }
  return { feel: fields.reduce((inner, field) => `get value(${inner}, ${feelString(field)})`, name!), type: 'unknown' };
}

/** A step's name: `.name` or `['name']`. */
function memberName(property: Expression | PrivateIdentifier, computed: boolean, whole: Expression): string {
  if (!computed && property.type === 'Identifier') return property.name;
  if (computed && property.type === 'Literal' && typeof property.value === 'string') return property.value;
  return untranslatable(`đọc ${snippet(whole)} bằng một khóa tính toán`, `it reads ${snippet(whole)} by a computed key`);
}

/**
 * The guard that each operand is of one of the types (all operands of the same one):
 * undefined when the static types already say so, a refusal when they say it never is.
 */
function typeGuard(operands: Value[], types: Array<'number' | 'string'>, operator: string): string | undefined {
  const possible = types.filter((type) => operands.every((operand) => operand.type === type || operand.type === 'unknown'));
  if (possible.length === 0) {
    return untranslatable(`áp dụng ${operator} cho giá trị kiểu ${operands.map((operand) => operand.type).join(' và ')}, JavaScript sẽ đổi kiểu`, `it applies ${operator} to values of type ${operands.map((operand) => operand.type).join(' and ')}, which JavaScript converts`);
  }
  const unknown = operands.filter((operand) => operand.type === 'unknown');
  if (unknown.length === 0) return undefined;
  return possible.map((type) => unknown.map((operand) => `${operand.feel} instance of ${type}`).join(' and ')).map((each) => `(${each})`).join(' or ');
}

/** Not an object or a list, which JavaScript compares by identity. */
function scalarGuard(value: Value): string | undefined {
  return value.type === 'unknown' ? `not(${value.feel} instance of context or ${value.feel} instance of list)` : undefined;
}

function comparison(operator: string, left: Value, right: Value): Value {
  const guards = [left.guard, right.guard];
  if (operator === '<' || operator === '<=' || operator === '>' || operator === '>=') {
    if (left.type === 'nothing' || right.type === 'nothing') return untranslatable(`so sánh thứ tự với null (${operator})`, `it orders against null (${operator})`);
    const typed = typeGuard([left, right], ['number', 'string'], operator);
    return { feel: guarded(typed, `(${left.feel}) ${operator} (${right.feel})`), type: 'boolean', guard: allOf(...guards, typed) };
  }
  const typed = allOf(scalarGuard(left), scalarGuard(right), operator === '==' || operator === '!=' ? looseGuard(operator, left, right) : undefined);
  // FEEL answers null when the types differ (JavaScript's strict comparison: false); null = null holds.
  const equal = `((${left.feel}) = (${right.feel})) = true`;
  return { feel: guarded(typed, operator === '===' || operator === '==' ? equal : `not(${equal})`), type: 'boolean', guard: allOf(...guards, typed) };
}

/** `==` is `===` except between values of different types, which JavaScript converts. */
function looseGuard(operator: string, left: Value, right: Value): string | undefined {
  if (left.type === 'nothing' || right.type === 'nothing') return undefined;
  if (left.type !== 'unknown' && right.type !== 'unknown') {
    if (left.type === right.type) return undefined;
    return untranslatable(`so sánh ${operator} một giá trị ${left.type} với một giá trị ${right.type}, JavaScript sẽ đổi kiểu`, `it compares (${operator}) a ${left.type} with a ${right.type}, which JavaScript converts`);
  }
  const types = ['number', 'string', 'boolean'].filter((type) => [left, right].every((operand) => operand.type === type || operand.type === 'unknown'));
  const sameType = types.map((type) => [left, right].filter((operand) => operand.type === 'unknown').map((operand) => `${operand.feel} instance of ${type}`).join(' and ')).map((each) => `(${each})`);
  return [`${left.feel} = null`, `${right.feel} = null`, ...sameType].join(' or ');
}

function arithmetic(operator: string, left: Value, right: Value): Value {
  const typed = typeGuard([left, right], operator === '+' ? ['number', 'string'] : ['number'], operator);
  const divisor = operator === '/' ? `${right.feel} != 0` : undefined;
  const type: ValueType = operator !== '+' ? 'number' : left.type === 'unknown' ? right.type : left.type;
  const local = allOf(typed, divisor);
  return { feel: guarded(local, `((${left.feel}) ${operator} (${right.feel}))`), type, guard: allOf(left.guard, right.guard, local) };
}

function isNothing(node: Expression): boolean {
  return (node.type === 'Literal' && node.value === null) || (node.type === 'Identifier' && node.name === 'undefined');
}

/** A short rendering of a node, for messages. */
function snippet(node: Node): string {
  if (node.type === 'Identifier') return (node as unknown as { name: string }).name;
  if (node.type === 'ThisExpression') return 'this';
  if (node.type === 'MemberExpression') {
    const member = node as unknown as { object: Node; property: Node; computed: boolean };
    const property = member.property as unknown as { type: string; name?: string; value?: unknown };
    return `${snippet(member.object)}${member.computed ? `[${JSON.stringify(property.value) ?? '…'}]` : `.${property.name ?? '…'}`}`;
  }
  return node.type;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A condition that cannot be translated, with the element it belongs to (a flow, a conditional event, a looping activity). */
export interface PeerConditionProblem {
  elementId: string;
  vi: string;
  en: string;
}

/**
 * The graph with every bpmn-engine condition (on flows, conditional events, standard loops and
 * multi-instance completionConditions),
 * timer and multi-instance collection or count replaced by its FEEL translation, and a problem for each that cannot be translated (whose
 * condition becomes `false`: the model is refused by the problem, and the compiler's own checks
 * do not refuse it a second time as non-FEEL). A graph without such conditions comes back as is.
 */
export function translatePeerConditions(source: ProcessGraph): { graph: ProcessGraph; problems: PeerConditionProblem[] } {
  const problems: PeerConditionProblem[] = [];
  const feelOf = (elementId: string, what: { vi: string; en: string }, condition: string, language: string | undefined): string | undefined => {
    const read = readPeerCondition(condition, language);
    // A condition that fails the run is kept only on a flow (below); elsewhere it is refused.
    const reading =
      read !== undefined && 'fails' in read
        ? { problem: { vi: 'mã JavaScript luôn làm hỏng lượt chạy khi được xét', en: read.fails } }
        : read !== undefined && 'sets' in read
          ? { problem: { vi: 'mã JavaScript gán giá trị cho biến, điều chỉ luồng ra khỏi một lựa chọn loại trừ mới thực hiện được', en: 'its JavaScript sets variables, which only a flow out of an exclusive choice carries out' } }
          : read;
    if (reading === undefined) return undefined;
    if ('feel' in reading) return reading.feel;
    problems.push({ elementId, vi: `${what.vi} viết cho bpmn-engine không dịch được sang FEEL: ${reading.problem.vi}`, en: `${what.en} written for bpmn-engine cannot be translated to FEEL: ${reading.problem.en}` });
    return 'false';
  };
  let flows: ProcessGraph['flows'] | undefined;
  for (const flow of source.flows.values()) {
    if (flow.condition === undefined) continue;
    const failing = readPeerCondition(flow.condition, flow.conditionLanguage);
    if (failing !== undefined && 'fails' in failing) {
      // Kept conditional (`false`, never evaluated): the gateway fails the instance where the peer evaluates it.
      flows ??= new Map(source.flows);
      flows.set(flow.id, { ...flow, condition: 'false', conditionLanguage: undefined, failure: `the condition of flow ${flow.id} was written for bpmn-engine: ${failing.fails}` });
      continue;
    }
    if (failing !== undefined && 'sets' in failing) {
      flows ??= new Map(source.flows);
      flows.set(flow.id, { ...flow, condition: failing.feel, conditionLanguage: undefined, sets: failing.sets });
      continue;
    }
    const feel = feelOf(flow.id, { vi: `Điều kiện của luồng ${flow.id}`, en: `The condition of flow ${flow.id}` }, flow.condition, flow.conditionLanguage);
    if (feel === undefined) continue;
    flows ??= new Map(source.flows);
    flows.set(flow.id, { ...flow, condition: feel, conditionLanguage: undefined });
  }
  /** An event's trigger with its condition or timer translated; the same object when neither was written for bpmn-engine. */
  const translated = (nodeId: string, trigger: EventTrigger): EventTrigger => {
    if (trigger.kind === 'multiple') {
      const triggers = trigger.triggers.map((each) => translated(nodeId, each));
      return triggers.every((each, index) => each === trigger.triggers[index]) ? trigger : { kind: 'multiple', triggers };
    }
    if (trigger.kind === 'conditional') {
      const feel = feelOf(nodeId, { vi: `Điều kiện của sự kiện ${nodeId}`, en: `The condition of event ${nodeId}` }, trigger.condition, trigger.conditionLanguage);
      if (feel !== undefined) return { ...trigger, condition: feel, conditionLanguage: undefined };
    }
    if (trigger.kind === 'timer' && trigger.timer.kind !== 'workingHours') {
      const timer = trigger.timer;
      const reading = readPeerValue(timer.expression);
      if (reading && 'problem' in reading) {
        problems.push({ elementId: nodeId, vi: `Hẹn giờ của ${nodeId} viết cho bpmn-engine không dịch được sang FEEL: ${reading.problem.vi}`, en: `The timer of ${nodeId} written for bpmn-engine cannot be translated to FEEL: ${reading.problem.en}` });
      }
      // An untranslatable one is refused by its problem, not a second time as an unreadable timer.
      if (reading) return { kind: 'timer', timer: { ...timer, feel: 'feel' in reading ? reading.feel : 'null' } };
    }
    return trigger;
  };
  let nodes: ProcessGraph['nodes'] | undefined;
  for (const node of source.nodes.values()) {
    let changed = node;
    const trigger = node.trigger === undefined ? undefined : translated(node.id, node.trigger);
    if (trigger !== node.trigger) changed = { ...changed, trigger };
    for (const field of ['collection', 'cardinality'] as const) {
      const written = changed.multiInstance?.[field];
      const reading = written === undefined ? undefined : readPeerValue(written);
      if (reading === undefined) continue;
      if ('problem' in reading) {
        const what = field === 'collection' ? { vi: 'Danh sách nhiều thể hiện', en: 'The multi-instance collection' } : { vi: 'Số lần nhiều thể hiện (loopCardinality)', en: 'The multi-instance loopCardinality' };
        problems.push({ elementId: node.id, vi: `${what.vi} của ${node.id} viết cho bpmn-engine không dịch được sang FEEL: ${reading.problem.vi}`, en: `${what.en} of ${node.id} written for bpmn-engine cannot be translated to FEEL: ${reading.problem.en}` });
      }
      changed = { ...changed, multiInstance: { ...changed.multiInstance!, [field]: 'feel' in reading ? reading.feel : 'null' } };
    }
    const written = node.multiInstance;
    if (written?.collection !== undefined && written.cardinality !== undefined && readPeerValue(written.collection) !== undefined) {
      // bpmn-engine runs a collection with a loopCardinality as at most that many of its items.
      const { collection, cardinality: _cap, ...rest } = changed.multiInstance!;
      changed = { ...changed, multiInstance: { ...rest, collection: cappedCollection(collection!, _cap!) } };
    }
    const completion = changed.multiInstance?.completionCondition;
    if (completion) {
      const what = { vi: `Điều kiện hoàn thành (completionCondition) của ${node.id}`, en: `The completionCondition of ${node.id}` };
      const feel = feelOf(node.id, what, completion, changed.multiInstance!.completionConditionLanguage);
      if (feel !== undefined) changed = { ...changed, multiInstance: { ...changed.multiInstance!, completionCondition: feel, completionConditionLanguage: undefined } };
    }
    if (node.loop?.condition !== undefined) {
      const feel = feelOf(node.id, { vi: `Điều kiện lặp của ${node.id}`, en: `The loop condition of ${node.id}` }, node.loop.condition, node.loop.conditionLanguage);
      if (feel !== undefined) changed = { ...changed, loop: { ...node.loop, condition: feel, conditionLanguage: undefined } };
    }
    if (changed === node) continue;
    nodes ??= new Map(source.nodes);
    nodes.set(node.id, changed);
  }
  if (flows === undefined && nodes === undefined) return { graph: source, problems };
  return { graph: { ...source, flows: flows ?? source.flows, nodes: nodes ?? source.nodes }, problems };
}

/**
 * A bpmn-engine collection with a loopCardinality, as bpmn-elements' LoopCharacteristics runs it:
 * the first `cardinality` items (rounded up; all of them when it is missing or larger, none at 0);
 * a count that is not a number of zero or more, or a collection that is not a list, gives null,
 * which the machine reports as MULTI_INSTANCE_COLLECTION_INVALID, as bpmn-elements fails the run.
 */
function cappedCollection(collection: string, cardinality: string): string {
  const list = `(${collection})`;
  const count = `(${cardinality})`;
  return `if ${count} = null then ${list} else if ${list} instance of list and ${count} instance of number and ${count} >= 0 then (if ceiling(${count}) >= count(${list}) then ${list} else if ceiling(${count}) = 0 then [] else sublist(${list}, 1, ceiling(${count}))) else null`;
}

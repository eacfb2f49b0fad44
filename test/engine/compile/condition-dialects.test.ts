import { parse, type Expression } from 'acorn';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPeerCondition } from '../../../engine/compile/condition-dialects.ts';
import { compileCondition } from '../../../engine/compile/conditions.ts';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

// bpmn-engine's conditions read as FEEL (engine/compile/condition-dialects.ts): the translation
// is checked against an interpreter of JavaScript's own rules (property access and operators are
// JavaScript's, run here on the parsed tree, never by eval), with the dialect's documented
// readings: null and missing are one value, and a conversion JavaScript would make means the
// condition does not hold.

/** Evaluating reached a conversion (or a comparison of objects) the dialect does not read. */
class Unread extends Error {}

type Variables = Record<string, unknown>;

const ROOTS = ['environment.variables', 'this.environment.variables', 'variables', 'environment.output', 'this.environment.output'];

/** One value, null and undefined alike (the dialect's first reading). */
const none = (value: unknown): unknown => value ?? undefined;

function memberPath(node: Expression): string[] {
  const steps: string[] = [];
  let current: Expression = node;
  while (current.type === 'MemberExpression') {
    const property = current.property;
    steps.unshift(property.type === 'Identifier' && !current.computed ? property.name : String((property as { value: unknown }).value));
    current = current.object as Expression;
  }
  steps.unshift(current.type === 'ThisExpression' ? 'this' : (current as { name: string }).name);
  return steps;
}

const isObject = (value: unknown) => typeof value === 'object' && value !== null;
const sameKind = (a: unknown, b: unknown, kinds: string[]) => typeof a === typeof b && kinds.includes(typeof a);

/** JavaScript's value of the expression over the variables, or Unread. */
function reference(node: Expression, variables: Variables): unknown {
  switch (node.type) {
    case 'Literal':
      return none(node.value);
    case 'Identifier':
      return undefined; // `undefined`
    case 'MemberExpression': {
      const steps = memberPath(node);
      const root = ROOTS.find((each) => steps.join('.').startsWith(`${each}.`))!;
      let value: unknown = variables;
      // A step into nothing reads nothing (the dialect's reading; a script would throw).
      for (const step of steps.slice(root.split('.').length)) value = value === undefined ? undefined : none((value as Record<string, unknown>)[step]);
      return value;
    }
    case 'UnaryExpression': {
      const operand = reference(node.argument, variables);
      if (node.operator === '!') return !operand;
      if (typeof operand !== 'number') throw new Unread();
      return -operand;
    }
    case 'ChainExpression':
      return reference(node.expression, variables);
    case 'ConditionalExpression':
      return reference(node.test, variables) ? reference(node.consequent, variables) : reference(node.alternate, variables);
    case 'LogicalExpression': {
      const left = reference(node.left, variables);
      if (node.operator === '??') return left ?? reference(node.right, variables);
      if (node.operator === '&&') return left ? reference(node.right, variables) : left;
      return left ? left : reference(node.right, variables);
    }
    case 'BinaryExpression': {
      const a = reference(node.left as Expression, variables);
      const b = reference(node.right, variables);
      switch (node.operator) {
        case '===':
        case '!==':
          if (isObject(a) || isObject(b)) throw new Unread();
          return node.operator === '===' ? a === b : a !== b;
        case '==':
        case '!=':
          if (isObject(a) || isObject(b) || (a !== undefined && b !== undefined && typeof a !== typeof b)) throw new Unread();
          // JavaScript's loose equality is what is interpreted.
          return node.operator === '==' ? a == b : a != b;
        case '<':
        case '<=':
        case '>':
        case '>=': {
          if (!sameKind(a, b, ['number', 'string'])) throw new Unread();
          const [x, y] = [a as number, b as number];
          return node.operator === '<' ? x < y : node.operator === '<=' ? x <= y : node.operator === '>' ? x > y : x >= y;
        }
        case '+':
          if (!sameKind(a, b, ['number', 'string'])) throw new Unread();
          return (a as number) + (b as number);
        case '-':
        case '*':
        case '/':
          if (!sameKind(a, b, ['number']) || (node.operator === '/' && b === 0)) throw new Unread();
          return node.operator === '-' ? (a as number) - (b as number) : node.operator === '*' ? (a as number) * (b as number) : (a as number) / (b as number);
      }
    }
  }
  throw new Error(`the generator made ${node.type}`);
}

/** Whether bpmn-engine, read by the dialect, takes the flow. */
function takes(source: string, variables: Variables): boolean {
  const statement = parse(source, { ecmaVersion: 'latest' }).body[0];
  if (statement?.type !== 'ExpressionStatement') throw new Error('not an expression');
  try {
    return Boolean(reference(statement.expression, variables));
  } catch (error) {
    if (error instanceof Unread) return false;
    throw error;
  }
}

// Generated expressions: names a, b, c (and fields x, y, 'w-z'), every root, every operator.
const names = ['a', 'b', 'c'];
const variable = fc.tuple(fc.constantFrom(...ROOTS), fc.constantFrom(...names), fc.array(fc.constantFrom('.x', '.y', "['w-z']", "['x']"), { maxLength: 2 }))
  .map(([root, name, fields]) => `${root}.${name}${fields.join('')}`);
const literal = fc.oneof(
  fc.integer({ min: 0, max: 1000 }).map(String),
  fc.constantFrom('0.5', '2.25', '0.1'),
  fc.string({ maxLength: 4 }).map((text) => JSON.stringify(text)),
  fc.constantFrom('true', 'false', 'null', 'undefined'),
);
const { condition } = fc.letrec<{ condition: string; value: string }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('value'),
    fc.tuple(tie('condition'), fc.constantFrom('&&', '||'), tie('condition')).map(([a, operator, b]) => `(${a}) ${operator} (${b})`),
    tie('condition').map((a) => `!(${a})`),
  ),
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    variable,
    literal,
    tie('value').map((a) => `-(${a})`),
    tie('condition').map((a) => `!(${a})`),
    fc.tuple(tie('value'), fc.constantFrom('===', '!==', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/'), tie('value')).map(([a, operator, b]) => `(${a}) ${operator} (${b})`),
  ),
}));

// The same, with ternaries, `??` and optional steps (`?.`) among the rest: their FEEL repeats a
// test or an operand, so they are drawn in a test of their own, with fewer runs.
const optionalVariable = fc.tuple(fc.constantFrom(...ROOTS), fc.constantFrom(...names), fc.array(fc.constantFrom('.x', '?.x', "?.['w-z']", "['x']"), { maxLength: 2 }))
  .map(([root, name, fields]) => `${root}.${name}${fields.join('')}`);
const { condition: extended } = fc.letrec<{ condition: string; value: string }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('value'),
    fc.tuple(tie('condition'), fc.constantFrom('&&', '||'), tie('condition')).map(([a, operator, b]) => `(${a}) ${operator} (${b})`),
    fc.tuple(tie('value'), tie('condition'), tie('condition')).map(([test, a, b]) => `(${test}) ? (${a}) : (${b})`),
  ),
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    optionalVariable,
    literal,
    fc.tuple(tie('value'), fc.constantFrom('===', '!==', '<', '+', '-', '??'), tie('value')).map(([a, operator, b]) => `(${a}) ${operator} (${b})`),
    fc.tuple(optionalVariable, tie('value'), tie('value')).map(([test, a, b]) => `(${test}) ? (${a}) : (${b})`),
  ),
}));

const leaf = fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constantFrom(0, 0.5, 0.1, 2.25, -3), fc.string({ maxLength: 3 }), fc.boolean(), fc.constant(null));
const field = fc.oneof(leaf, fc.array(leaf, { maxLength: 2 }), fc.dictionary(fc.constantFrom('x', 'y', 'w-z'), leaf));
// As the engine holds them: JSON (fast-check's dictionaries have no prototype, which feelin does not read as a context).
const variables = fc.dictionary(fc.constantFrom(...names), fc.oneof(field, fc.dictionary(fc.constantFrom('x', 'y', 'w-z'), field))).map((values) => JSON.parse(JSON.stringify(values)) as Variables);

/** Refusals a generated expression may meet: the static types say JavaScript would convert. */
const STATIC_CONVERSION = /which JavaScript converts|orders against null/;

describe('bpmn-engine conditions translated to FEEL', () => {
  /** Each generated condition translates to FEEL that holds exactly when the interpreted JavaScript is truthy (or is refused for a static conversion); returns how many translated. */
  const agreesWithJavaScript = (conditions: fc.Arbitrary<string>, numRuns: number): number => {
    let translated = 0;
    fc.assert(
      fc.property(conditions, variables, (source, values) => {
        const reading = readPeerCondition(`next(null, ${source});`, 'javascript');
        if (reading === undefined || !('feel' in reading)) {
          expect(reading && 'problem' in reading ? reading.problem.en : 'unread').toMatch(STATIC_CONVERSION);
          return;
        }
        translated += 1;
        expect(compileCondition(reading.feel)(values)).toBe(takes(source, values));
      }),
      { numRuns },
    );
    return translated;
  };

  it('a JavaScript next(null, …) condition holds exactly when the interpreted JavaScript is truthy, under the dialect\'s readings', { timeout: 60_000 }, () => {
    expect(agreesWithJavaScript(condition, 1000)).toBeGreaterThan(500);
  });

  it('ternaries, ?? and optional steps (?.) hold exactly when the interpreted JavaScript is truthy', { timeout: 60_000 }, () => {
    expect(agreesWithJavaScript(extended, 150)).toBeGreaterThan(60);
  });

  it('a ${…} expression means what the same JavaScript expression means', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(condition, variables, (source, values) => {
        const expression = readPeerCondition(`\${${source}}`, undefined);
        const script = readPeerCondition(`next(null, ${source})`, 'JavaScript');
        expect(expression).toEqual(script);
        if (expression && 'feel' in expression) expect(compileCondition(expression.feel)(values)).toBe(takes(source, values));
      }),
      { numRuns: 300 },
    );
  });

  it('a script that names values with const/let, then sets variables to literals, reads as its next(null, …) with the names put in, and sets them', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(condition, condition, fc.constantFrom('true', 'false', '0', '"x"', 'null'), (first, second, value) => {
        const plain = readPeerCondition(`next(null, (${first}) || (${second}));`, 'javascript');
        const named = readPeerCondition(`const a = ${first};\nlet b = (${second});\nenvironment.variables.c = ${value};\nnext(null, a || b);`, 'js');
        // Both declarations are evaluated whether or not next uses them: a refused one refuses the script.
        const each = [readPeerCondition(`next(null, ${first})`, 'js'), readPeerCondition(`next(null, ${second})`, 'js')];
        if (plain && 'feel' in plain && each.every((reading) => reading && 'feel' in reading)) expect(named).toEqual({ feel: plain.feel, sets: { c: JSON.parse(value) as unknown } });
        else expect(named && 'feel' in named).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('a read into a name bpmn-engine\'s script never has fails the run wherever JavaScript always evaluates it, and only there', () => {
    fc.assert(
      fc.property(condition, fc.constantFrom('this.supported.unsupported', 'environment.form.item', 'this.environment.nothing.x'), (source, thrown) => {
        const always = readPeerCondition(`next(null, (${source}) === ${thrown})`, 'javascript');
        expect(always).toEqual({ fails: expect.stringContaining(`reads ${thrown},`) as string });
        const skipped = readPeerCondition(`next(null, (${source}) && ${thrown})`, 'javascript');
        expect(skipped !== undefined && 'fails' in skipped).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('reads the corpus\'s shapes', () => {
    const holds = (condition: string, language: string | undefined, values: Variables) => {
      const reading = readPeerCondition(condition, language);
      if (!reading || !('feel' in reading)) throw new Error(`not translated: ${JSON.stringify(reading)}`);
      return compileCondition(reading.feel)(values);
    };
    expect(holds('${true}', undefined, {})).toBe(true);
    expect(holds('${false}', undefined, {})).toBe(false);
    expect(holds('${environment.variables.condition1}', undefined, { condition1: 'yes' })).toBe(true);
    expect(holds('${environment.variables.condition1}', undefined, {})).toBe(false);
    expect(holds('${variables.takeJoin2}', undefined, { takeJoin2: 1 })).toBe(true);
    expect(holds('${environment.output.start2}', undefined, { start2: true })).toBe(true);
    expect(holds('next(null, this.environment.variables.passTask2<0);', 'javascript', { passTask2: -1 })).toBe(true);
    expect(holds('next(null, this.environment.variables.passTask2>=0);', 'JavaScript', { passTask2: -1 })).toBe(false);
    expect(holds('next(null, 1==1)', 'js', {})).toBe(true);
    expect(holds('next(null, !environment.variables.stopLoop);', 'text/javascript', {})).toBe(true);
    expect(holds('next(null, this.environment.variables.condition.var1)', 'javascript', { condition: { var1: 0 } })).toBe(false);
    expect(holds('next(null, environment.variables.input <= 50)', 'javascript', { input: '50' })).toBe(false); // a text is not ordered against a number
    expect(holds('next(null, environment.variables.s === "q\\"\\n\\\\\\u0001é")', 'javascript', { s: 'q"\n\\\u0001é' })).toBe(true);
  });

  it('refuses what is not a pure expression over variables, saying why', () => {
    const problem = (condition: string, language?: string) => {
      const reading = readPeerCondition(condition, language);
      return reading && 'problem' in reading ? reading.problem.en : JSON.stringify(reading);
    };
    expect(readPeerCondition("next(new Error('Condition error'));", 'javascript')).toEqual({ fails: 'its JavaScript condition hands next an error (Error): bpmn-engine fails the run there' });
    expect(readPeerCondition("next('failed');", 'javascript')).toEqual({ fails: "its JavaScript condition hands next an error ('failed'): bpmn-engine fails the run there" });
    expect(problem('next(environment.variables.error);', 'javascript')).toMatch(/reports an error/);
    expect(problem("this.environment.services.evaluateRule('my-rule', this.environment.variables, next);", 'javascript')).toMatch(/not a single call next/);
    expect(readPeerCondition('const loopback = environment.variables.loopback;\nnext(null, loopback);', 'javascript')).toEqual(readPeerCondition('next(null, environment.variables.loopback)', 'javascript'));
    expect(problem('environment.variables.loopback = false;\nnext(null, environment.variables.loopback);', 'javascript')).toMatch(/reads a variable the script itself has set/);
    expect(problem('environment.variables.loopback = false;\nconst x = 1;\nnext(null, x);', 'javascript')).toMatch(/declarations reading variables, then assignments of literals/);
    expect(problem('environment.variables.a.b = 1;\nnext(null, true);', 'javascript')).toMatch(/declarations reading variables, then assignments of literals/);
    expect(problem('this.variables.input < 2', 'JavaScript')).toMatch(/never calls next: bpmn-engine's script runner decides the flow only when next is called/);
    expect(problem('const x = environment.services.get();\nnext(null, true);', 'javascript')).toMatch(/calls a function/);
    expect(problem('${services.isBelow(variables.input,2)}')).toMatch(/calls a function \(services\.isBelow\), a service bpmn-engine's host supplies at run time/);
    expect(problem('${environment.services.stopLoop()}')).toMatch(/calls a function \(environment\.services\.stopLoop\), a service bpmn-engine's host supplies/);
    expect(problem('${content.message.conditionMet}')).toMatch(/reads content\.message\.conditionMet, the message bpmn-engine evaluates the condition with/);
    expect(problem("next(null, properties.type === 'signal');", 'js')).toMatch(/reads properties\.type, the message bpmn-engine evaluates the condition with/);
    expect(problem("next(null, environment.form === 'computer');", 'javascript')).toMatch(/reads environment\.form, not an instance variable/);
    expect(problem('next(null, this.counter)', 'javascript')).toMatch(/reads this\.counter/);
    expect(problem("next(null, environment.variables['decision-7'])", 'javascript')).toMatch(/"decision-7", whose name is not a FEEL name/);
    expect(problem('next(null, environment.variables.list.length > 0)', 'javascript')).toMatch(/"length", a built-in JavaScript property/);
    expect(problem('next(null, environment.variables.x = 1)', 'javascript')).toMatch(/assigns/);
    expect(problem('next(null, (() => true)())', 'javascript')).toMatch(/calls a function/);
    expect(problem('next(null, { scripted: 2 })', 'javascript')).toMatch(/ObjectExpression/);
    expect(problem('next(null, environment.variables.a % 2)', 'javascript')).toMatch(/operator %/);
    expect(problem('next(null, 1 == "1")', 'javascript')).toMatch(/converts/);
    expect(problem('next(null,', 'javascript')).toMatch(/cannot be read/);
    // Not a bpmn-engine dialect: left to the compiler (FEEL, or refused as another language).
    expect(readPeerCondition('amount > 10', undefined)).toBeUndefined();
    expect(readPeerCondition('${x}', 'groovy')).toBeUndefined();
  });
});

describe('a model with bpmn-engine conditions', () => {
  const model = (first: string, second: string, language = '') => bpmnProcess(
    '<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="decide"/><bpmn:userTask id="small"/><bpmn:userTask id="large"/><bpmn:endEvent id="end1"/><bpmn:endEvent id="end2"/>'
      + `<bpmn:sequenceFlow id="toSmall" sourceRef="decide" targetRef="small"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"${language}>${first}</bpmn:conditionExpression></bpmn:sequenceFlow>`
      + `<bpmn:sequenceFlow id="toLarge" sourceRef="decide" targetRef="large"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"${language}>${second}</bpmn:conditionExpression></bpmn:sequenceFlow>`
      + flows('start>decide', 'small>end1', 'large>end2'),
  );

  it('runs JavaScript next(null, …) conditions as their FEEL translation', async () => {
    const xml = model('next(null, this.environment.variables.amount &lt; 10);', 'next(null, this.environment.variables.amount &gt;= 10);', ' language="javascript"');
    expect((await run(xml, { variables: { amount: 3 } })).activeElementIds).toEqual(['small']);
    expect((await run(xml, { variables: { amount: 30 } })).activeElementIds).toEqual(['large']);
  });

  it('runs ${…} expression conditions', async () => {
    const xml = model('${environment.variables.small}', '${!environment.variables.small}');
    expect((await run(xml, { variables: { small: true } })).activeElementIds).toEqual(['small']);
    expect((await run(xml, { variables: {} })).activeElementIds).toEqual(["large"]);
  });

  it('refuses an untranslatable condition naming the flow and the reason, once', async () => {
    const refused = await refusal(model('next(environment.variables.problem);', 'next(null, true)', ' language="javascript"'));
    expect(refused.details.map((detail) => [detail.elementId, detail.message])).toEqual([
      ['toSmall', 'The condition of flow toSmall written for bpmn-engine cannot be translated to FEEL: its JavaScript reports an error (next with an error): the flow is never taken, the run fails'],
    ]);
  });
});

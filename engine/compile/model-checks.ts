import type { FlowNode } from '../bpmn/process-graph.ts';
import { describe, reject, type CompileContext } from './compile-context.ts';
import { triggerProblem } from './events.ts';
import { MULTIPLE_START, multipleTriggers } from './multiple-events.ts';

/**
 * Checks on the model as a whole, for what no state compiler would otherwise notice: a start
 * event's trigger (a start passes straight on, whatever starts it), a condition's language and
 * place. Each refuses rather than run the model differently from what it says.
 */
export function checkModel(context: CompileContext): void {
  for (const node of context.graph.nodes.values()) {
    if (node.kind === 'startEvent') checkStartEvent(context, node);
    checkDossierAttributes(context, node);
  }
  checkConditions(context);
  checkInstantCycles(context);
}

/**
 * Elements a token passes in the same step, never waiting: gateways, tasks of no type done once,
 * none throw events, and message throws and send tasks the platform publishes (no qt:jobType,
 * events.ts, activities.ts).
 */
function passesAtOnce(node: FlowNode): boolean {
  if (node.kind === 'exclusiveGateway' || node.kind === 'inclusiveGateway' || node.kind === 'parallelGateway') return true;
  if ((node.kind === 'task' || node.kind === 'manualTask') && !node.multiInstance && !node.loop) return true;
  if (node.kind === 'sendTask') return !node.qt.jobType && node.trigger?.kind === 'message' && !node.multiInstance && !node.loop;
  if (node.kind !== 'intermediateThrowEvent') return false;
  const kind = (node.trigger ?? { kind: 'none' }).kind;
  return kind === 'none' || (kind === 'message' && !node.qt.jobType);
}

/**
 * A cycle made only of elements that never wait would be run round and round within one step: the
 * variables do not change inside it, so a gateway that sends the token back once sends it back for
 * ever, and the step never ends (it would hold the server's thread). Refused at deployment, naming
 * the elements, rather than deployed to hang. Kahn's removal on the sub-graph of such elements:
 * what cannot be removed lies on, or after, such a cycle; linear in the graph.
 */
function checkInstantCycles(context: CompileContext): void {
  const { nodes, flows } = context.graph;
  const instant = new Map([...nodes.values()].filter(passesAtOnce).map((node) => [node.id, node]));
  const inDegree = new Map([...instant.keys()].map((id) => [id, 0]));
  const targets = (node: FlowNode) => node.outgoing.map((id) => flows.get(id)?.target).filter((id): id is string => id !== undefined && instant.has(id));
  for (const node of instant.values()) for (const target of targets(node)) inDegree.set(target, inDegree.get(target)! + 1);
  const free = [...inDegree].filter(([, degree]) => degree === 0).map(([id]) => id);
  for (let id = free.pop(); id !== undefined; id = free.pop()) {
    inDegree.delete(id);
    for (const target of targets(instant.get(id)!)) {
      const left = inDegree.get(target)! - 1;
      inDegree.set(target, left);
      if (left === 0) free.push(target);
    }
  }
  if (inDegree.size === 0) return;
  const ids = [...inDegree.keys()].sort();
  reject(
    context,
    ids[0]!,
    `Vòng lặp ${ids.join(', ')} không có bước nào phải chờ (tác vụ của người, công việc tự động, sự kiện chờ): nếu đi vào, quy trình sẽ chạy vòng mãi trong một bước`,
    `The loop through ${ids.join(', ')} has no element that waits (a person's task, an automated job, a catching event): entered once, it would run round for ever within one step`,
  );
}

/**
 * A process starts plainly, by a message (`POST /api/messages`), by its timer, by a signal
 * (thrown by another instance or `POST /api/signals`, server/execution/signals.ts) or by its
 * condition (FEEL) holding over data sent to `POST /api/conditions/evaluate`; a sub-process only
 * plainly (BPMN 2.0 §10.5.2: an embedded sub-process has a none start). Event sub-process starts
 * are checked with their sub-process (compileScope). A multiple start of the process starts
 * on any of its messages and signals; with any other trigger it is refused, never run as a plain start.
 */
function checkStartEvent(context: CompileContext, node: FlowNode): void {
  const trigger = node.trigger ?? { kind: 'none' };
  const parent = node.parentId === undefined ? undefined : context.graph.nodes.get(node.parentId);
  if (parent?.triggeredByEvent) return;
  // A conditional start is started by `POST /api/conditions/evaluate` when its condition (FEEL)
  // holds over the data sent (server/execution/conditional-starts.ts).
  if (trigger.kind === 'conditional' && parent === undefined) {
    feelCondition(context, node.id, { vi: `Điều kiện của sự kiện bắt đầu ${node.id}`, en: `The condition of start event ${node.id}` }, trigger.condition, trigger.conditionLanguage);
    return;
  }
  const allowed = parent === undefined ? ['none', 'message', 'timer', 'signal'] : ['none'];
  if (allowed.includes(trigger.kind)) return;
  // A multiple start (BPMN 2.0 §10.4.1): the process starts on any of its messages or signals.
  if (trigger.kind === 'multiple' && parent === undefined) {
    multipleTriggers(context, node, MULTIPLE_START);
    return;
  }
  const problem = triggerProblem(trigger);
  reject(
    context,
    node.id,
    `${describe(node)}: sự kiện bắt đầu ${problem.vi}${parent === undefined ? '' : ` (tiến trình con ${parent.id} chỉ có thể bắt đầu không điều kiện)`}`,
    `${describe(node, 'en')}: a start event ${problem.en}${parent === undefined ? '' : ` (sub-process ${parent.id} can only start plainly)`}`,
  );
}

/**
 * qt:form names the form a person fills at a step: the application at a start event, or a user
 * task's; qt:dossierStep marks an official's step of the dossier's lifecycle — `receipt`, the receipt
 * check (Decree 45 Art. 11.2–11.4), or `approval`, whose official signs the result (Art. 14.3.b) —
 * so a user task outside the applicant's lane. Written elsewhere, nobody would ever see the form or
 * make the check, so the model is refused rather than deployed with an attribute that does nothing.
 */
function checkDossierAttributes(context: CompileContext, node: FlowNode): void {
  if (node.qt.form !== undefined && node.kind !== 'startEvent' && node.kind !== 'userTask') {
    reject(context, node.id, `${describe(node)} có qt:form, nhưng chỉ sự kiện bắt đầu và tác vụ người dùng mới có biểu mẫu`, `${describe(node, 'en')} has qt:form, but only start events and user tasks have a form`);
  }
  if (node.qt.dossierStep !== undefined && (node.kind !== 'userTask' || node.applicantLane)) {
    reject(
      context,
      node.id,
      `${describe(node)} có qt:dossierStep="${node.qt.dossierStep}", nhưng bước tiếp nhận hay phê duyệt hồ sơ phải là tác vụ người dùng của cán bộ (ngoài làn của người nộp)`,
      `${describe(node, 'en')} has qt:dossierStep="${node.qt.dossierStep}", but a dossier's receipt or approval step must be a user task of an official (outside the applicant's lane)`,
    );
  }
}

/** FEEL language URIs (DMN 1.1–1.5 and plain "feel"); a condition without a language is FEEL. */
const FEEL = /feel/i;

/**
 * A condition of an element (a loop condition, a conditional event's), checked as FEEL and
 * compiled once: undefined, with an error naming the element, when written in another language
 * or unreadable. `what` begins the message: "The loop condition of X".
 */
export function feelCondition(context: CompileContext, elementId: string, what: { vi: string; en: string }, condition: string, language: string | undefined): string | undefined {
  if (language !== undefined && !FEEL.test(language)) {
    reject(context, elementId, `${what.vi} viết bằng ngôn ngữ ${language}; động cơ chỉ thực thi điều kiện FEEL`, `${what.en} is written in ${language}; the engine only executes FEEL conditions`);
    return undefined;
  }
  const problem = context.conditions.problem(condition);
  if (problem) {
    reject(context, elementId, `${what.vi} không phải biểu thức FEEL hợp lệ: ${problem}`, `${what.en} is not valid FEEL: ${problem}`);
    return undefined;
  }
  return context.conditions.add(condition);
}

/** Gateways whose outgoing conditions the engine evaluates (a complex gateway is refused as such). */
const CONDITIONAL_SOURCES = new Set(['exclusiveGateway', 'inclusiveGateway', 'complexGateway']);

/**
 * Conditions are FEEL (engine/compile/conditions.ts): one in another language (JavaScript) would
 * be read as FEEL and mean something else, or nothing. A condition on a flow out of an activity
 * is executed (taken when it holds, BPMN 2.0 §13.2.1: the activity's flows have become an
 * implicit gateway's, implicit-gateways.ts); one out of an event, a parallel or an event-based
 * gateway has no meaning in BPMN and is refused rather than ignored.
 */
function checkConditions(context: CompileContext): void {
  for (const flow of context.graph.flows.values()) {
    if (flow.condition === undefined) continue;
    if (flow.conditionLanguage !== undefined && !FEEL.test(flow.conditionLanguage)) {
      reject(
        context,
        flow.id,
        `Điều kiện của luồng ${flow.id} viết bằng ngôn ngữ ${flow.conditionLanguage}; động cơ chỉ thực thi điều kiện FEEL`,
        `The condition of flow ${flow.id} is written in ${flow.conditionLanguage}; the engine only executes FEEL conditions`,
      );
      continue;
    }
    const source = context.graph.nodes.get(flow.source);
    if (source === undefined || CONDITIONAL_SOURCES.has(source.kind)) continue;
    if (source.kind === 'parallelGateway' || source.kind === 'eventBasedGateway') {
      reject(
        context,
        flow.id,
        `Luồng ${flow.id} ra khỏi cổng ${source.id} có điều kiện, nhưng cổng loại này không xét điều kiện`,
        `Flow ${flow.id} leaving gateway ${source.id} has a condition, but a gateway of this kind evaluates none`,
      );
    } else {
      reject(
        context,
        flow.id,
        `Luồng ${flow.id} ra khỏi ${source.id} có điều kiện, nhưng luồng ra khỏi một sự kiện không có điều kiện (BPMN 2.0); hãy dùng một cổng`,
        `Flow ${flow.id} leaving ${source.id} has a condition, but a flow out of an event has none in BPMN 2.0; use a gateway`,
      );
    }
  }
}

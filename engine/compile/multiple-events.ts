import type { EventTrigger, FlowNode } from '../bpmn/process-graph.ts';
import { describe, reject, type CompileContext } from './compile-context.ts';

type Kind = EventTrigger['kind'];

/** What a multiple intermediate catch event may combine (BPMN 2.0 §10.5.6, "Multiple … can only include the previous triggers"). */
export const MULTIPLE_CATCH: readonly Kind[] = ['message', 'timer', 'signal', 'conditional'];
/** What a multiple boundary event may combine (BPMN 2.0 §10.4.6: also an error or an escalation, never cancel or compensation). */
export const MULTIPLE_BOUNDARY: readonly Kind[] = ['message', 'timer', 'signal', 'conditional', 'error', 'escalation'];
/** What a multiple start event of the process may combine: the triggers the server starts a process on by name. */
export const MULTIPLE_START: readonly Kind[] = ['message', 'signal'];

/**
 * The triggers of a multiple catch event (BPMN 2.0 §10.4.1: any one of its event definitions
 * triggers it, the others are disarmed), each to be armed as the single event of its kind would
 * be, on the same element; undefined, with the element refused, when one cannot be executed
 * there. A catch arms one subscription of each kind per element (one timer, one message…), so two
 * definitions of one kind are refused; a start arms nothing and starts on any of its names (the
 * same name twice, three anonymous messages say, is one trigger).
 */
export function multipleTriggers(context: CompileContext, node: FlowNode, allowed: readonly Kind[]): EventTrigger[] | undefined {
  if (node.trigger?.kind !== 'multiple') return undefined;
  const triggers = node.kind === 'startEvent' ? distinct(node.trigger.triggers) : node.trigger.triggers;
  const kinds = triggers.map((trigger) => trigger.kind);
  const unsupported = triggers.find((trigger) => !allowed.includes(trigger.kind));
  const repeated = node.kind === 'startEvent' ? undefined : kinds.find((kind, index) => kinds.indexOf(kind) !== index);
  if (unsupported === undefined && repeated === undefined) return triggers;
  const which = unsupported === undefined ? undefined : unsupported.kind === 'unsupported' ? unsupported.definitionType.replace(/^bpmn:/, '') : unsupported.kind;
  reject(
    context,
    node.id,
    which !== undefined
      ? `${describe(node)}: sự kiện nhiều loại chỉ kết hợp được ${allowed.join(', ')} ở vị trí này, không kết hợp ${which} (hoặc định nghĩa đó thiếu thông điệp, thời điểm hay điều kiện)`
      : `${describe(node)}: sự kiện nhiều loại có hai định nghĩa loại ${repeated}: mỗi loại chỉ được một`,
    which !== undefined
      ? `${describe(node, 'en')}: a multiple event combines only ${allowed.join(', ')} here, not ${which} (or that definition lacks its message, time or condition)`
      : `${describe(node, 'en')}: a multiple event has two ${repeated} definitions: one of each kind at most`,
  );
  return undefined;
}

function distinct(triggers: EventTrigger[]): EventTrigger[] {
  const seen = new Set<string>();
  return triggers.filter((trigger) => {
    const key = JSON.stringify(trigger);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

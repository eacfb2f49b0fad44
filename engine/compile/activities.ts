import { candidateGroupOf, type FlowNode } from '../bpmn/process-graph.ts';
import { describe, nextTarget, reject, stateId, type CompileContext, type Fragment } from './compile-context.ts';
import { addTransition, elementIs, type StateConfig } from './state-config.ts';
import { callsSameFile } from './called-processes.ts';

/**
 * Tasks. A user task opens a task for its lane (the candidate group; the applicant's lane has
 * the group APPLICANT_CANDIDATE_GROUP, whatever its name) and waits for
 * `task.complete`; service, send, business-rule and script tasks start a job of their
 * qt:jobType (else the type Camunda 7's or Zeebe's modeler wrote, see read-process.ts) and wait for `job.complete` (a type with no built-in handler is an external task
 * that outside systems fetch over the API); a receive task waits for its message; manual and
 * plain tasks are done by people outside the system and pass straight through, as in other
 * engines. Leaving the state by any way (completion or an interrupting boundary event) closes
 * what it opened.
 */
export function activityState(context: CompileContext, fragment: Fragment, node: FlowNode): StateConfig {
  const state: StateConfig = { id: stateId(node.id), meta: { elementId: node.id } };
  const next = nextTarget(context, fragment, node);
  switch (node.kind) {
    case 'userTask':
      state.entry = [{ type: 'qt.task.open', params: { elementId: node.id, name: node.name, candidateGroup: candidateGroupOf(node), dueWorkingHours: node.qt.dueWorkingHours } }];
      state.exit = [{ type: 'qt.task.close', params: { elementId: node.id } }];
      addTransition(state, 'task.complete', { guard: elementIs(node.id), target: next, actions: [{ type: 'qt.mergeVariables' }] });
      break;
    case 'serviceTask':
    case 'sendTask':
    case 'businessRuleTask':
    case 'scriptTask': {
      const jobType = node.qt.jobType;
      // A send task naming its message and no job: the platform publishes the message itself, as
      // an intermediate message throw does (events.ts; BPMN 2.0 §10.3.3 Send Task), and passes on.
      if (!jobType && node.kind === 'sendTask' && node.trigger?.kind === 'message') {
        state.entry = [{ type: 'qt.message.publish', params: { elementId: node.id, messageName: node.trigger.messageName, correlationKey: node.trigger.correlationKey } }];
        state.always = [{ target: next }];
        break;
      }
      if (!jobType) rejectMissingJobType(context, node);
      state.entry = [{ type: 'qt.job.start', params: { elementId: node.id, jobType: jobType ?? '' } }];
      state.exit = [{ type: 'qt.job.cancel', params: { elementId: node.id } }];
      addTransition(state, 'job.complete', { guard: elementIs(node.id), target: next, actions: [{ type: 'qt.mergeVariables' }] });
      // A business error reported by the job is raised as a BPMN error for error boundary events.
      addTransition(state, 'job.error', { guard: elementIs(node.id), actions: [{ type: 'qt.raiseJobError' }] });
      break;
    }
    case 'receiveTask': {
      const trigger = node.trigger;
      if (trigger?.kind !== 'message') {
        reject(context, node.id, `${describe(node)} là tác vụ nhận nhưng không chỉ ra thông điệp nào`, `${describe(node, 'en')} is a receive task with no message`);
        break;
      }
      state.entry = [{ type: 'qt.message.subscribe', params: { elementId: node.id, messageName: trigger.messageName, correlationKey: trigger.correlationKey } }];
      state.exit = [{ type: 'qt.message.unsubscribe', params: { elementId: node.id } }];
      addTransition(state, 'message', { guard: elementIs(node.id), target: next, actions: [{ type: 'qt.mergeVariables' }] });
      break;
    }
    case 'callActivity': {
      // Circular 01 Art. 16.4: an inter-connected procedure, run as an instance of its own.
      if (!node.calledElement) {
        reject(context, node.id, `${describe(node)} không chỉ ra quy trình được gọi (calledElement)`, `${describe(node, 'en')} names no called process (calledElement)`);
      }
      // A process of the same file runs as a child instance of this definition (called-processes.ts).
      state.entry = [callsSameFile(context, node) ? { type: 'qt.run.start', params: { elementId: node.id } } : { type: 'qt.call.start', params: { elementId: node.id, calledElement: node.calledElement ?? '' } }];
      state.exit = [{ type: 'qt.call.cancel', params: { elementId: node.id } }];
      addTransition(state, 'call.complete', { guard: elementIs(node.id), target: next, actions: [{ type: 'qt.mergeVariables' }] });
      addTransition(state, 'call.error', { guard: elementIs(node.id), actions: [{ type: 'qt.raiseJobError' }] });
      break;
    }
    default:
      // manualTask and task: pass through
      state.always = [{ target: next }];
  }
  return state;
}

/** An automated task (service, send, business-rule, script) with no job type: refused naming it, alone or multi-instance. */
export function rejectMissingJobType(context: CompileContext, node: FlowNode): void {
  reject(
    context,
    node.id,
    `${describe(node)} là tác vụ tự động nhưng thiếu qt:jobType (loại công việc mà bộ xử lý hoặc hệ thống bên ngoài thực hiện; cũng đọc được từ camunda:topic với camunda:type="external", zeebe:taskDefinition type, camunda:class, camunda:delegateExpression, dịch vụ \${environment.services.ten}, hoặc scriptFormat của tác vụ kịch bản)`,
    `${describe(node, 'en')} is an automated task without qt:jobType (the type of job a handler or an outside system carries out; also read from camunda:topic with camunda:type="external", zeebe:taskDefinition type, camunda:class, camunda:delegateExpression, a service \${environment.services.name}, or a script task's scriptFormat)`,
  );
}

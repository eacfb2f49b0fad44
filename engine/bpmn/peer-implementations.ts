/**
 * The job type of an automated task that names its implementation the way another engine's
 * modeler writes it, without qt:jobType (docs/bpmn-coverage.md, "Activities"). One rule: the job
 * type is the name of the service the model says does the work, and a worker subscribed to that
 * type does it (the engine runs no code of the model):
 *
 * - Camunda 7: `camunda:class="a.b.C"` → `a.b.C`; `camunda:delegateExpression="${bean}"` → `bean`
 *   (a bean name, dotted or not);
 * - bpmn-engine: `implementation="${environment.services.name}"` (or `${services.name}`, also
 *   in `camunda:expression` or `camunda:delegateExpression`, as bpmn-engine's Camunda extension
 *   reads them) → `name`;
 * - a script task: `script:<scriptFormat>` in lower case (`script:javascript`,
 *   `script:groovy`): a worker of that language reads the script from the deployed model and
 *   runs it in its own sandbox; the engine never evaluates it.
 *
 * A service called with arguments (`${environment.services.get(environment.variables.url)}`),
 * any other Camunda expression, or a plain `implementation` ("##WebService", a name that is not
 * an expression: neither peer runs one) names no fixed service: the task stays refused, with the
 * reason when there is one to give.
 */
export type ImplementationReading = { jobType: string } | { problem: { vi: string; en: string } } | undefined;

export interface TaskImplementation {
  /** The element's BPMN type (`bpmn:ServiceTask`…). */
  type: string;
  /** BPMN's `implementation` attribute, when the model writes it. */
  implementation?: string | undefined;
  /** A script task's `scriptFormat`. */
  scriptFormat?: string | undefined;
  /** The element's attributes in Camunda 7's namespace, by local name. */
  camunda: Record<string, string | undefined>;
}

/** `${environment.services.name}` / `${services.name}` (bpmn-engine's service lookup). */
const SERVICE = /^\$\{\s*(?:this\.)?(?:environment\.)?services\.([A-Za-z_$][\w$]*)\s*\}$/;
/** The same with a call: its arguments are computed per instance. */
const SERVICE_CALL = /^\$\{\s*(?:this\.)?(?:environment\.)?services\.([A-Za-z_$][\w$]*)\s*\(/;
/** A Camunda 7 delegate expression naming a bean: `${name}` or `${a.b}`. */
const BEAN = /^\$\{\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\}$/;

const AUTOMATED_TASKS = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);

export function implementationJobType(task: TaskImplementation): ImplementationReading {
  if (task.type === 'bpmn:ScriptTask') {
    const format = task.scriptFormat?.trim().toLowerCase();
    return format ? { jobType: `script:${format}` } : undefined;
  }
  if (!AUTOMATED_TASKS.has(task.type)) return undefined;
  const className = task.camunda.class?.trim();
  if (className) return { jobType: className };
  const delegate = task.camunda.delegateExpression?.trim();
  if (delegate) return serviceOf(delegate, 'camunda:delegateExpression') ?? beanOf(delegate);
  const expression = task.camunda.expression?.trim();
  if (expression) return serviceOf(expression, 'camunda:expression') ?? notAService(expression, 'camunda:expression');
  const implementation = task.implementation?.trim();
  if (implementation?.startsWith('${')) return serviceOf(implementation, 'implementation') ?? notAService(implementation, 'implementation');
  return undefined;
}

/** The service a bpmn-engine service expression names, a problem when it calls it, undefined when it is no such expression. */
function serviceOf(expression: string, attribute: string): ImplementationReading {
  const named = SERVICE.exec(expression);
  if (named) return { jobType: named[1]! };
  const called = SERVICE_CALL.exec(expression);
  if (!called) return undefined;
  return {
    problem: {
      vi: `${attribute} = "${expression}" gọi dịch vụ ${called[1]} với đối số tính theo từng thể hiện; động cơ chỉ khởi tạo công việc có loại cố định (dịch vụ ${'${environment.services.ten}'} không đối số, hoặc qt:jobType) và chuyển cho nó các biến của thể hiện`,
      en: `${attribute} = "${expression}" calls service ${called[1]} with arguments computed per instance; the engine only starts a job of a fixed type (a service ${'${environment.services.name}'} without arguments, or qt:jobType) and hands it the instance's variables`,
    },
  };
}

function beanOf(expression: string): ImplementationReading {
  const bean = BEAN.exec(expression);
  return bean ? { jobType: bean[1]! } : notAService(expression, 'camunda:delegateExpression');
}

function notAService(expression: string, attribute: string): ImplementationReading {
  return {
    problem: {
      vi: `${attribute} = "${expression}" không chỉ ra một dịch vụ cố định (${'${environment.services.ten}'}); động cơ không tính biểu thức này, hãy dùng qt:jobType`,
      en: `${attribute} = "${expression}" names no fixed service (${'${environment.services.name}'}); the engine does not evaluate this expression, use qt:jobType`,
    },
  };
}

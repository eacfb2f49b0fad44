/**
 * Linting a procedure model: bpmnlint's recommended rules (the checks bpmn.io's modelers run)
 * plus the product's procedure rules (engine/rules/procedure-rules.ts), every message in
 * Vietnamese and English. The same rule set runs in the designer as the user draws, in the
 * catalogue's tests, and before deployment.
 */
import recommended from 'bpmnlint/config/recommended.js';
import { Linter } from 'bpmnlint';
import adHocSubProcess from 'bpmnlint/rules/ad-hoc-sub-process.js';
import conditionalFlows from 'bpmnlint/rules/conditional-flows.js';
import endEventRequired from 'bpmnlint/rules/end-event-required.js';
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway.js';
import eventSubProcessTypedStartEvent from 'bpmnlint/rules/event-sub-process-typed-start-event.js';
import fakeJoin from 'bpmnlint/rules/fake-join.js';
import global from 'bpmnlint/rules/global.js';
import labelRequired from 'bpmnlint/rules/label-required.js';
import linkEvent from 'bpmnlint/rules/link-event.js';
import noBpmndi from 'bpmnlint/rules/no-bpmndi.js';
import noComplexGateway from 'bpmnlint/rules/no-complex-gateway.js';
import noDisconnected from 'bpmnlint/rules/no-disconnected.js';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows.js';
import noGatewayJoinFork from 'bpmnlint/rules/no-gateway-join-fork.js';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split.js';
import noImplicitEnd from 'bpmnlint/rules/no-implicit-end.js';
import noImplicitStart from 'bpmnlint/rules/no-implicit-start.js';
import noInclusiveGateway from 'bpmnlint/rules/no-inclusive-gateway.js';
import noOverlappingElements from 'bpmnlint/rules/no-overlapping-elements.js';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event.js';
import singleEventDefinition from 'bpmnlint/rules/single-event-definition.js';
import startEventRequired from 'bpmnlint/rules/start-event-required.js';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event.js';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway.js';
import superfluousLabel from 'bpmnlint/rules/superfluous-label.js';
import superfluousTermination from 'bpmnlint/rules/superfluous-termination.js';
import type { ModdleElement } from 'bpmn-moddle';
import { parseBpmn } from '../bpmn/parse.ts';
import type { ProcessGraph } from '../bpmn/process-graph.ts';
import { processGraphsOf } from '../bpmn/read-process.ts';
import { QuyTrinhError, type Bilingual } from '../errors.ts';
import { procedureRules, procedureWarnings, type ProcedureRule } from './procedure-rules.ts';
import { translateBpmnlintMessage } from './bpmnlint-messages.ts';

type BpmnlintRule = typeof labelRequired;

const bpmnlintRules: Record<string, BpmnlintRule> = {
  'ad-hoc-sub-process': adHocSubProcess,
  'conditional-flows': conditionalFlows,
  'end-event-required': endEventRequired,
  'event-based-gateway': eventBasedGateway,
  'event-sub-process-typed-start-event': eventSubProcessTypedStartEvent,
  'fake-join': fakeJoin,
  'global': global,
  'label-required': labelRequired,
  'link-event': linkEvent,
  'no-bpmndi': noBpmndi,
  'no-complex-gateway': noComplexGateway,
  'no-disconnected': noDisconnected,
  'no-duplicate-sequence-flows': noDuplicateSequenceFlows,
  'no-gateway-join-fork': noGatewayJoinFork,
  'no-implicit-split': noImplicitSplit,
  'no-implicit-end': noImplicitEnd,
  'no-implicit-start': noImplicitStart,
  'no-inclusive-gateway': noInclusiveGateway,
  'no-overlapping-elements': noOverlappingElements,
  'single-blank-start-event': singleBlankStartEvent,
  'single-event-definition': singleEventDefinition,
  'start-event-required': startEventRequired,
  'sub-process-blank-start-event': subProcessBlankStartEvent,
  'superfluous-gateway': superfluousGateway,
  'superfluous-label': superfluousLabel,
  'superfluous-termination': superfluousTermination,
};

export type LintSeverity = 'error' | 'warn';

export interface LintFinding {
  /** `bpmnlint/<rule>` or `quytrinh/<rule>`. */
  rule: string;
  severity: LintSeverity;
  elementId: string;
  message: Bilingual;
}

/**
 * bpmnlint's part of the rule set: its recommended rules, but for the inclusive-gateway warning
 * (the engine runs inclusive gateways). The product's own rules (procedure-rules.ts) read the
 * process graph instead and are all errors: a model breaking them cannot be costed
 * (probabilities) or breaks the law it implements (Decree 45 Art. 11–14; Circular 01 Art. 16.3.b).
 */
const LINT_CONFIG = {
  rules: {
    ...Object.fromEntries(Object.entries(recommended.rules).map(([rule, severity]) => [`bpmnlint/${rule}`, severity])),
    'bpmnlint/no-inclusive-gateway': 'off',
  },
};

/**
 * The error rules that do not refuse a deployment on the server (POST /api/definitions): they
 * concern the drawing and the analysis, not what the engine runs, and a model deployed from a
 * script or the CLI (no diagram, no lanes, no costs) still runs as written. The designer is
 * stricter and blocks every error (designer/src/deploy/deploy-blockers.ts), so a model the
 * designer lets through is never refused by the server; the server reports these findings back
 * with the deployment instead.
 * - `bpmnlint/no-bpmndi`: an element without diagram interchange (a model with no diagram);
 * - `bpmnlint/label-required`: an unnamed element;
 * - `quytrinh/task-in-lane`: a step outside a lane (the diagram names the agency, Circular 01 Art. 16.3.b);
 * - `quytrinh/split-probabilities`: a split without chances (the cost model needs them);
 * - the modeling conventions on flow the engine executes as BPMN 2.0 defines them
 *   (engine/compile/implicit-gateways.ts), so that a model from another engine deploys as written:
 *   `bpmnlint/start-event-required`, `no-implicit-start` and `no-disconnected` (without a start
 *   event, every node without incoming flows starts; with one, a node it cannot reach is refused
 *   by the compiler), `no-implicit-split` and `conditional-flows` (an activity's flows split
 *   implicitly), `end-event-required` and `no-implicit-end` (a path with no further flow ends).
 * - `quytrinh/valid-attributes`: a product attribute that cannot be read; the compiler refuses the
 *   model with its own typed error naming each (engine/bpmn/read-process.ts), the same list.
 * - `bpmnlint/single-event-definition`: a multiple catch event runs as BPMN 2.0 §10.4.1 defines
 *   it (engine/compile/multiple-events.ts); the compiler refuses the multiple events it does not
 *   execute (throws, parallel multiple, combinations BPMN does not allow) naming them.
 * Every other finding of severity `error` refuses the deployment: the other bpmnlint errors
 * (the model's flow is wrong or ambiguous), the legal procedure rules (receipt time and lane,
 * signed results, one amendment request, payment before the result: Decree 45 Art. 11.3, 11.4,
 * 13.4, 14.3.b).
 */
export const NOT_GATING_AT_DEPLOYMENT: ReadonlySet<string> = new Set([
  'bpmnlint/no-bpmndi',
  'bpmnlint/label-required',
  'quytrinh/task-in-lane',
  'quytrinh/split-probabilities',
  'bpmnlint/start-event-required',
  'bpmnlint/no-implicit-start',
  'bpmnlint/no-disconnected',
  'bpmnlint/no-implicit-split',
  'bpmnlint/conditional-flows',
  'bpmnlint/end-event-required',
  'bpmnlint/no-implicit-end',
  'quytrinh/valid-attributes',
  'bpmnlint/single-event-definition',
]);

/** Whether a finding refuses a deployment on the server. */
export function refusesDeployment(finding: LintFinding): boolean {
  return finding.severity === 'error' && !NOT_GATING_AT_DEPLOYMENT.has(finding.rule);
}

const resolver = {
  resolveRule(pkg: string, ruleName: string): BpmnlintRule | undefined {
    return pkg === 'bpmnlint' ? bpmnlintRules[ruleName] : undefined;
  },
  resolveConfig(): undefined {
    return undefined;
  },
};

export async function lintModelXml(xml: string): Promise<LintFinding[]> {
  const { definitions, elementsById } = await parseBpmn(xml);
  linkFlowsToNodes(Object.values(elementsById));
  return lintDefinitions(definitions);
}

type FlowNode = { incoming?: unknown[]; outgoing?: unknown[] };

/**
 * A flow node's `incoming` and `outgoing` are optional in BPMN 2.0 XML: the sequence flows'
 * sourceRef and targetRef say the same, and the engine reads those (engine/bpmn/read-process.ts).
 * bpmnlint reads only the node's lists, which bpmn-js always writes but a model written by hand
 * or by a script may leave out; without them every node would look disconnected. The lists are
 * completed from the flows here so the rules see the connections the engine runs.
 */
function linkFlowsToNodes(elements: ModdleElement[]): void {
  for (const flow of elements) {
    if (flow.$type !== 'bpmn:SequenceFlow') continue;
    const link = (node: unknown, list: 'incoming' | 'outgoing') => {
      if (!node || typeof node !== 'object') return;
      const lists = node as FlowNode;
      lists[list] ??= [];
      if (!lists[list].includes(flow)) lists[list].push(flow);
    };
    link(flow.sourceRef, 'outgoing');
    link(flow.targetRef, 'incoming');
  }
}

export async function lintDefinitions(definitions: unknown): Promise<LintFinding[]> {
  const results = await new Linter({ config: LINT_CONFIG, resolver }).lint(definitions);
  const bpmnlint = Object.entries(results).flatMap(([rule, reports]) =>
    reports.map((report): LintFinding => ({
      rule: rule.includes('/') ? rule : `bpmnlint/${rule}`,
      severity: report.category === 'warn' || report.category === 'info' ? 'warn' : 'error',
      elementId: report.id ?? '',
      message: translateBpmnlintMessage(report.message),
    })),
  );
  return [...withoutRepeats(bpmnlint), ...procedureFindings(definitions as ModdleElement)];
}

/** A node no flow touches is also an implicit start and end: "not connected" says it, once. */
const SAID_BY_DISCONNECTED = new Set(['bpmnlint/no-implicit-start', 'bpmnlint/no-implicit-end']);

/**
 * The product's rules, on the process graphs the engine and the cost model read: each process the
 * file deploys (engine/bpmn/read-process.ts readProcesses). A model whose product attributes
 * cannot be read (a probability above 1, a word where a number goes) has no graph: what is wrong
 * with each attribute is reported instead, under `quytrinh/valid-attributes`.
 */
function procedureFindings(definitions: ModdleElement): LintFinding[] {
  let graphs;
  try {
    graphs = processGraphsOf(definitions);
  } catch (error) {
    if (!(error instanceof QuyTrinhError)) throw error;
    const messages = error.details.length > 0 ? error.details.map((detail) => ({ elementId: detail.elementId ?? '', message: detail.messages ?? { vi: detail.message, en: detail.message } })) : [{ elementId: '', message: error.text }];
    return messages.map(({ elementId, message }) => ({ rule: 'quytrinh/valid-attributes', severity: 'error', elementId, message }));
  }
  const checked = (rules: Record<string, ProcedureRule>, severity: LintFinding['severity']) => (graph: ProcessGraph) =>
    Object.entries(rules).flatMap(([rule, check]) => check(graph).map(({ elementId, message }): LintFinding => ({ rule: `quytrinh/${rule}`, severity, elementId, message })));
  return graphs.flatMap((graph) => [...checked(procedureRules, 'error')(graph), ...checked(procedureWarnings, 'warn')(graph)]);
}

/**
 * bpmnlint reports some faults once per rule that sees them: a person reads each message once
 * per element, and a disconnected node's implicit start and end are not said again.
 */
function withoutRepeats(findings: LintFinding[]): LintFinding[] {
  const seen = new Set<string>();
  const disconnected = new Set(findings.filter((finding) => finding.rule === 'bpmnlint/no-disconnected').map((finding) => finding.elementId));
  return findings.filter((finding) => {
    if (SAID_BY_DISCONNECTED.has(finding.rule) && disconnected.has(finding.elementId)) return false;
    const key = `${finding.elementId}\u0000${finding.message.en}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The product's own lint rules for procedure models, in bpmnlint's rule format so the engine,
 * the CLI and the designer's live linting run the same code. Each reports an English message
 * and both languages in its context (`messages`).
 */
import type { ModdleElement } from 'bpmn-moddle';
import type { Bilingual } from '../errors.ts';

export interface LintReporter {
  report(id: string, message: string, context?: { messages: Bilingual }): void;
}

export interface LintRule {
  check: (element: ModdleElement, reporter: LintReporter) => void;
}

export type LintRuleFactory = (options?: unknown) => LintRule;

const report = (reporter: LintReporter, id: string | undefined, vi: string, en: string) => reporter.report(id ?? '', en, { messages: { vi, en } });

const isType = (element: ModdleElement, ...types: string[]) => types.includes(element.$type);
const list = (element: ModdleElement | undefined, property: string): ModdleElement[] => {
  const value = element?.[property];
  return Array.isArray(value) ? (value as ModdleElement[]) : [];
};
const GATEWAYS = ['bpmn:ExclusiveGateway', 'bpmn:EventBasedGateway', 'bpmn:InclusiveGateway'];
const DATA_ELEMENTS = ['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference', 'bpmn:SequenceFlow'];

/** Circular 01 Art. 16.3.b: the diagram names the agency or unit doing each step: every flow node lies in a lane. */
export const taskInLane: LintRuleFactory = () => ({
  check(element, reporter) {
    if (!isType(element, 'bpmn:Process')) return;
    const laned = new Set<string>();
    const visit = (lane: ModdleElement) => {
      for (const node of list(lane, 'flowNodeRef')) laned.add(node.id ?? '');
      for (const child of list(lane.childLaneSet as ModdleElement | undefined, 'lanes')) visit(child);
    };
    for (const laneSet of list(element, 'laneSets')) for (const lane of list(laneSet, 'lanes')) visit(lane);
    if (laned.size === 0) {
      report(reporter, element.id, 'Quy trình chưa có làn (lane) nào nêu cơ quan, đơn vị thực hiện (Điều 16.3.b Thông tư 01/2023)', 'The process has no lane naming the agency or unit doing its steps (Circular 01 Art. 16.3.b)');
      return;
    }
    for (const node of list(element, 'flowElements')) {
      if (isType(node, ...DATA_ELEMENTS) || laned.has(node.id ?? '')) continue;
      report(reporter, node.id, 'Bước này không thuộc làn nào: hãy đặt vào làn của cơ quan, đơn vị thực hiện (Điều 16.3.b)', 'This step lies in no lane: put it in the lane of the agency or unit doing it (Art. 16.3.b)');
    }
  },
});

/** The cost model needs the chance of each branch (docs/cost-model.md): an exclusive split's flows add up to 1. */
export const splitProbabilities: LintRuleFactory = () => ({
  check(element, reporter) {
    if (!isType(element, ...GATEWAYS)) return;
    const outgoing = list(element, 'outgoing');
    if (outgoing.length < 2) return;
    const defaultFlow = (element.default as ModdleElement | undefined)?.id;
    const probability = (flow: ModdleElement) => (typeof flow.probability === 'number' ? flow.probability : undefined);
    if (isType(element, 'bpmn:InclusiveGateway')) {
      for (const flow of outgoing) {
        if (flow.id !== defaultFlow && probability(flow) === undefined) report(reporter, flow.id, 'Nhánh của cổng bao hàm thiếu xác suất qt:probability', 'A branch of the inclusive gateway has no qt:probability');
      }
      return;
    }
    const blank = outgoing.filter((flow) => probability(flow) === undefined);
    const sum = outgoing.reduce((total, flow) => total + (probability(flow) ?? 0), 0);
    if (blank.length > 1) {
      report(reporter, element.id, `${blank.length} nhánh chưa có xác suất qt:probability (chỉ được để trống một nhánh, nhận phần còn lại)`, `${blank.length} branches have no qt:probability (only one may be left blank, to take the remainder)`);
    } else if (blank.length === 0 ? Math.abs(sum - 1) > 1e-6 : sum > 1 + 1e-6) {
      const shown = Math.round(sum * 1e6) / 1e6;
      // Vietnamese writes a decimal comma (1,4), as the designer's fields read it.
      report(reporter, element.id, `Tổng xác suất các nhánh là ${String(shown).replace('.', ',')}, phải bằng 1`, `The branches' probabilities add up to ${shown}, they must add up to 1`);
    }
  },
});

/** A receipt step: its name says so (Tiếp nhận …, Receive …). */
const RECEIPT_NAME = /^\s*(tiếp nhận|receiv)/iu;

/** Decree 45/2020 Art. 11.4: an electronic dossier is received within 08 working hours. */
export const receiptWithinEightWorkingHours: LintRuleFactory = () => ({
  check(element, reporter) {
    if (!isType(element, 'bpmn:Process') || element.isExecutable !== true) return;
    for (const node of list(element, 'flowElements')) {
      if (!isType(node, 'bpmn:UserTask') || !RECEIPT_NAME.test(typeof node.name === 'string' ? node.name : '')) continue;
      const due = typeof node.dueWorkingHours === 'number' ? node.dueWorkingHours : undefined;
      if (due === undefined || due > 8) {
        report(reporter, node.id, `Bước tiếp nhận phải có thời hạn qt:dueWorkingHours không quá 8 giờ làm việc (Điều 11.4 Nghị định 45/2020)${due === undefined ? '' : `; đang là ${due}`}`, `A receipt step must be due within qt:dueWorkingHours of at most 8 working hours (Decree 45 Art. 11.4)${due === undefined ? '' : `; it is ${due}`}`);
      }
    }
  },
});

/** A step that signs: a service task whose job type or name says it signs (result.sign, Ký số …). */
const SIGNING = /sign|ký số|ky-so|ky_so/iu;

/** Decree 45/2020 Art. 14.3.b: an electronic result carries the competent authority's digital signature. */
export const electronicResultSigned: LintRuleFactory = () => ({
  check(element, reporter) {
    if (!isType(element, 'bpmn:Process') || element.isExecutable !== true) return;
    const nodes = list(element, 'flowElements');
    const signs = nodes.some((node) => (isType(node, 'bpmn:ServiceTask', 'bpmn:Task', 'bpmn:UserTask') && SIGNING.test(`${typeof node.jobType === 'string' ? node.jobType : ''} ${typeof node.name === 'string' ? node.name : ''}`)));
    if (signs) return;
    for (const node of nodes) {
      if (node.result === 'electronic' || node.result === 'both') {
        report(reporter, node.id, 'Kết quả điện tử phải được ký số: thêm bước ký số (tác vụ dịch vụ qt:jobType="result.sign") trước khi trả kết quả (Điều 14.3.b Nghị định 45/2020)', 'An electronic result must be digitally signed: add a signing step (a service task with qt:jobType="result.sign") before the result is issued (Decree 45 Art. 14.3.b)');
      }
    }
  },
});

export const procedureRules: Record<string, LintRuleFactory> = {
  'task-in-lane': taskInLane,
  'split-probabilities': splitProbabilities,
  'receipt-due-time': receiptWithinEightWorkingHours,
  'result-signed': electronicResultSigned,
};

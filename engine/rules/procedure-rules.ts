/**
 * The product's own rules for procedure models. They read the process graph
 * (engine/bpmn/process-graph.ts, built by engine/bpmn/read-process.ts), the same reader the
 * compiler and the cost model use, never bpmn-moddle's objects: a flow written only as
 * `sourceRef`/`targetRef` (no `<bpmn:outgoing>` on its node) is the same flow to all three, so
 * the checks and the cost model never disagree about a model.
 *
 * Every message names the article it comes from and says what to do, in Vietnamese and English,
 * without BPMN type names or `qt:` attribute names (the designer's fields are labelled in words).
 * Severity: every rule of `procedureRules` is an error (`procedureWarnings` are warnings). The first two concern the drawing and the analysis
 * (engine/rules/lint.ts NOT_GATING_AT_DEPLOYMENT); the legal ones (Decree 45/2020 Art. 11–14)
 * refuse a deployment, since a model breaking them makes the engine break the law it implements.
 * The legal rules apply to executable processes only: an as-is diagram (Circular 01 Art. 16)
 * describes the procedure as it is, faults included. docs/procedure-rules.md gives the readings.
 */
import type { FlowNode, ProcessGraph } from '../bpmn/process-graph.ts';
import { splitChances } from '../cost/flow-structure.ts';
import type { Bilingual } from '../errors.ts';

export interface RuleFinding {
  elementId: string;
  message: Bilingual;
}

export type ProcedureRule = (graph: ProcessGraph) => RuleFinding[];

const finding = (elementId: string, vi: string, en: string): RuleFinding => ({ elementId, message: { vi, en } });

/** How a message names a step: its name in quotes, or "(chưa đặt tên)" / "(unnamed)". */
const stepName = (node: FlowNode, language: 'vi' | 'en') => (node.name?.trim() ? `“${node.name.trim()}”` : language === 'vi' ? '(chưa đặt tên)' : '(unnamed)');

const nodesOf = (graph: ProcessGraph) => [...graph.nodes.values()];

/** Circular 01 Art. 16.3.b: the diagram names the agency or unit doing each step: every flow node lies in a named lane. */
export const taskInLane: ProcedureRule = (graph) => {
  const nodes = nodesOf(graph);
  if (!nodes.some((node) => node.lane !== undefined)) {
    return [finding(graph.id, 'Chưa có làn nào nêu cơ quan, đơn vị thực hiện: hãy vẽ một làn cho mỗi đơn vị (Điều 16.3.b Thông tư 01/2023)', 'No lane names the agency or unit doing the steps: draw a lane for each unit (Circular 01 Art. 16.3.b)')];
  }
  return nodes
    .filter((node) => node.lane === undefined)
    .map((node) => finding(node.id, 'Bước này không thuộc làn có tên nào: hãy đặt vào làn của cơ quan, đơn vị thực hiện (Điều 16.3.b Thông tư 01/2023)', 'This step lies in no named lane: put it in the lane of the agency or unit doing it (Circular 01 Art. 16.3.b)'));
};

/**
 * The cost model needs the chance of each branch (docs/cost-model.md): it asks
 * engine/cost/flow-structure.ts's splitChances, the very function the cost model computes with.
 */
export const splitProbabilities: ProcedureRule = (graph) =>
  nodesOf(graph).flatMap((node) => {
    const { fault } = splitChances(graph, node);
    if (fault === undefined) return [];
    if (fault.kind === 'sum') {
      const shown = Math.round(fault.sum * 1e6) / 1e6;
      // Vietnamese writes a decimal comma (1,4), as the designer's fields read it.
      return [finding(node.id, `Tổng xác suất các nhánh là ${String(shown).replace('.', ',')}, phải bằng 1`, `The branches' probabilities add up to ${shown}, they must add up to 1`)];
    }
    if (fault.inclusive) return fault.flowIds.map((flowId) => finding(flowId, 'Nhánh này của cổng bao hàm chưa có xác suất đi theo (0–1)', 'This branch of the inclusive gateway has no probability of being taken (0–1)'));
    return [finding(node.id, `${fault.flowIds.length} nhánh chưa có xác suất đi theo (chỉ được để trống một nhánh, nhận phần còn lại)`, `${fault.flowIds.length} branches have no probability of being taken (only one may be left blank, to take the remainder)`)];
  });

/** A receipt step: marked qt:dossierStep="receipt" (docs/dossiers.md), or a user task whose name says so (Tiếp nhận …, Receive …). */
const RECEIPT_NAME = /^\s*(tiếp nhận|receiv)/iu;
const isReceipt = (node: FlowNode) => node.qt.dossierStep === 'receipt' || (node.kind === 'userTask' && RECEIPT_NAME.test(node.name ?? ''));

/** Decree 45/2020 Art. 11.4: an electronic dossier is received, or an amendment asked for, within 08 working hours. */
export const receiptWithinEightWorkingHours: ProcedureRule = (graph) => {
  if (!graph.isExecutable) return [];
  return nodesOf(graph)
    .filter((node) => isReceipt(node) && (node.qt.dueWorkingHours === undefined || node.qt.dueWorkingHours > 8))
    .map((node) => {
      const due = node.qt.dueWorkingHours;
      return finding(
        node.id,
        `Bước tiếp nhận ${stepName(node, 'vi')} phải có thời hạn không quá 8 giờ làm việc (Điều 11.4 Nghị định 45/2020)${due === undefined ? '' : `; đang là ${String(due).replace('.', ',')} giờ`}`,
        `The receipt step ${stepName(node, 'en')} must be due within at most 8 working hours (Decree 45 Art. 11.4)${due === undefined ? '' : `; it is ${due} hours`}`,
      );
    });
};

/**
 * Decree 45/2020 Art. 11.2–11.3 and docs/dossiers.md: an official of the agency receives the
 * dossier, and the agencies that receive a procedure's dossiers are those its receipt lane is
 * mapped to (server/dossiers/procedures.ts receivingAgencies). So the receipt step is an
 * official's user task in a named lane that is not the applicant's, and every receipt step of
 * the procedure lies in that one lane. A procedure open to online applications (a start event
 * with the application form) needs one.
 */
export const receiptByReceivingAgency: ProcedureRule = (graph) => {
  if (!graph.isExecutable) return [];
  const receipts = nodesOf(graph).filter((node) => node.qt.dossierStep === 'receipt');
  const found: RuleFinding[] = [];
  const online = graph.procedure.procedureCode !== undefined && graph.topLevel.some((id) => graph.nodes.get(id)?.kind === 'startEvent' && graph.nodes.get(id)?.qt.form !== undefined);
  if (receipts.length === 0 && online) {
    found.push(finding(graph.id, 'Thủ tục nhận hồ sơ trực tuyến nhưng chưa có bước tiếp nhận hồ sơ của cơ quan: hãy đánh dấu bước tiếp nhận (Điều 11.2–11.4 Nghị định 45/2020)', 'The procedure takes online applications but has no receipt step of the agency: mark the receipt step (Decree 45 Art. 11.2–11.4)'));
  }
  for (const node of receipts) {
    if (node.kind !== 'userTask') {
      found.push(finding(node.id, `Bước tiếp nhận ${stepName(node, 'vi')} phải do công chức thực hiện (tác vụ người dùng), không để hệ thống tự làm (Điều 11.2–11.3 Nghị định 45/2020)`, `The receipt step ${stepName(node, 'en')} must be an official's (a user task), not one the system does alone (Decree 45 Art. 11.2–11.3)`));
    } else if (node.lane === undefined || node.applicantLane) {
      found.push(finding(node.id, `Bước tiếp nhận ${stepName(node, 'vi')} phải nằm trong làn của cơ quan tiếp nhận hồ sơ (làn được gán cho cơ quan), không phải làn của người nộp (Điều 11.2–11.3 Nghị định 45/2020)`, `The receipt step ${stepName(node, 'en')} must lie in the lane of the agency receiving the dossier (the lane mapped to the agency), not the applicant's lane (Decree 45 Art. 11.2–11.3)`));
    }
  }
  const lanes = new Set(receipts.filter((node) => node.lane !== undefined && !node.applicantLane).map((node) => node.lane));
  if (lanes.size > 1) {
    for (const node of receipts.slice(1)) {
      if (node.lane !== receipts[0]!.lane) {
        found.push(finding(node.id, `Các bước tiếp nhận nằm ở ${lanes.size} làn khác nhau: hồ sơ chỉ do một cơ quan tiếp nhận, hãy đặt chúng vào cùng một làn (Điều 11.3 Nghị định 45/2020)`, `The receipt steps lie in ${lanes.size} different lanes: one agency receives the dossier, put them in one lane (Decree 45 Art. 11.3)`));
      }
    }
  }
  return found;
};

/**
 * The steps that sign a result: the built-in `result.sign` job (docs/signatures.md: the result's
 * PDF is signed with the agency's key there), and a call activity, whose called procedure issues
 * and signs its own result (its model is checked by these rules when it is deployed).
 */
const signs = (node: FlowNode) => node.qt.jobType === 'result.sign' || node.kind === 'callActivity';
const issuesElectronicResult = (node: FlowNode) => node.qt.result === 'electronic' || node.qt.result === 'both';

/**
 * Decree 45/2020 Art. 14.3.b: an electronic result carries the competent authority's digital
 * signature, so on every path from the start to a step issuing an electronic result a signing step
 * comes first (it dominates the issuing step). Checked by one walk from the starts that stops at
 * signing steps: an issuing step the walk reaches can be reached unsigned. Linear in the graph.
 */
export const electronicResultSigned: ProcedureRule = (graph) => {
  if (!graph.isExecutable) return [];
  const issuing = nodesOf(graph).filter((node) => issuesElectronicResult(node) && !signs(node));
  if (issuing.length === 0) return [];
  const anySigning = nodesOf(graph).some(signs);
  const unsigned = reachable(graph, startsOf(graph), (node) => !signs(node));
  return issuing
    .filter((node) => unsigned.has(node.id))
    .map((node) =>
      anySigning
        ? finding(node.id, `Có đường đi tới bước trả kết quả điện tử ${stepName(node, 'vi')} mà chưa qua bước ký số: bước ký số phải đứng trước trên mọi đường đi (Điều 14.3.b Nghị định 45/2020)`, `A path reaches the step issuing the electronic result ${stepName(node, 'en')} without passing the signing step: signing must come first on every path (Decree 45 Art. 14.3.b)`)
        : finding(node.id, 'Kết quả điện tử phải được ký số: thêm bước ký số kết quả (tác vụ dịch vụ “Ký số kết quả”) trước khi trả kết quả (Điều 14.3.b Nghị định 45/2020)', 'An electronic result must be digitally signed: add a step signing the result (the “Sign the result” service task) before it is issued (Decree 45 Art. 14.3.b)'),
    );
};

/**
 * Decree 45/2020 Art. 11.3: after the receipt check the official guides the applicant to amend the
 * dossier "once". In the model that request is the receipt's amendment loop: a return to the
 * applicant (a flow from an official's or the system's step to a step of the applicant's lane) on
 * a cycle through the receipt step. One such loop may be drawn; two returns in it, or two receipt
 * loops one after the other on a path from the start, ask a second time. The cycles are the
 * graph's strongly connected components, and the returns are counted along the components'
 * order: linear. A loop that does not pass the receipt step (an adjustment asked during
 * appraisal, which the specialised law governs, e.g. the building permit's) is not this request.
 * A model without an applicant's lane draws no returns, and the rule says nothing.
 */
export const oneAmendmentRequest: ProcedureRule = (graph) => {
  if (!graph.isExecutable) return [];
  const successors = successorMap(graph);
  const { component, components } = stronglyConnected(graph, successors);
  const receiptLoops = new Set(nodesOf(graph).filter(isReceipt).map((node) => component.get(node.id)));
  const returns = new Map<number, FlowNode[]>();
  for (const flow of graph.flows.values()) {
    const source = graph.nodes.get(flow.source);
    const target = graph.nodes.get(flow.target);
    if (!source || !target || source.applicantLane || !target.applicantLane) continue;
    const cycle = component.get(source.id);
    if (cycle === undefined || cycle !== component.get(target.id) || !receiptLoops.has(cycle)) continue;
    returns.set(cycle, [...(returns.get(cycle) ?? []), source]);
  }
  if (returns.size === 0) return [];
  // Components in topological order (Tarjan finds them in reverse): the most returns on a path ending in each.
  const most = new Map<number, number>();
  const found: RuleFinding[] = [];
  for (let cycle = components.length - 1; cycle >= 0; cycle--) {
    const own = returns.get(cycle)?.length ?? 0;
    const before = most.get(cycle) ?? 0;
    const total = before + own;
    if (own > 0 && total > 1) {
      const asking = returns.get(cycle)!;
      for (const node of own > 1 ? asking.slice(1) : asking) {
        found.push(finding(node.id, `Hồ sơ có thể bị yêu cầu bổ sung lần thứ hai tại ${stepName(node, 'vi')}: chỉ được hướng dẫn bổ sung một lần, hãy gộp mọi yêu cầu vào một lần (Điều 11.3 Nghị định 45/2020)`, `The dossier can be sent back for amendment a second time at ${stepName(node, 'en')}: the applicant is guided to amend once, gather every request into one (Decree 45 Art. 11.3)`));
      }
    }
    for (const member of components[cycle]!) {
      for (const next of successors.get(member) ?? []) {
        const other = component.get(next)!;
        if (other !== cycle) most.set(other, Math.max(most.get(other) ?? 0, total));
      }
    }
  }
  return found;
};

/** A step where a fee is paid: it charges a fee (qt:feeVnd above 0) or runs the online payment (`payment.online`, docs/payments.md). */
const charges = (node: FlowNode) => (node.qt.feeVnd ?? 0) > 0 || node.qt.jobType === 'payment.online';
/** A step issuing a result in any form, or signing one (the signature issues it, docs/dossiers.md `result.sign`). */
const issuesResult = (node: FlowNode) => node.qt.result !== undefined || node.qt.jobType === 'result.sign';

/**
 * Decree 45/2020 Art. 13.1 and 13.4: the applicant pays the fees and charges of the procedure,
 * and the proof of payment goes to the authority "to proceed to the next steps": where a fee is
 * paid, it is paid before the result is issued. A fee that applies on one branch only (late
 * registration) is paid on that branch; the rule asks that no fee step can follow a result step.
 * One walk from the result steps' successors: linear.
 */
export const paymentBeforeResult: ProcedureRule = (graph) => {
  if (!graph.isExecutable) return [];
  const feeSteps = nodesOf(graph).filter(charges);
  if (feeSteps.length === 0) return [];
  const successors = successorMap(graph);
  const after = reachable(graph, nodesOf(graph).filter(issuesResult).flatMap((node) => successors.get(node.id) ?? []), () => true, successors);
  return feeSteps
    .filter((node) => after.has(node.id))
    .map((node) => finding(node.id, `Bước thu phí, lệ phí ${stepName(node, 'vi')} có thể diễn ra sau khi đã trả kết quả: phí, lệ phí phải được nộp trước khi trả kết quả (Điều 13.1, 13.4 Nghị định 45/2020)`, `The fee step ${stepName(node, 'en')} can come after the result is issued: fees are paid before the result is issued (Decree 45 Art. 13.1, 13.4)`));
};

/**
 * A message the process publishes itself (a message throw or send task naming it with no job
 * type: docs/bpmn-coverage.md, "Messages between processes") that one of its own message start
 * events waits for: each instance then starts another, one after another without end, unless a
 * choice before the throw stops it. A warning: the model deploys, the designer says so.
 */
export const messageRestartsProcess: ProcedureRule = (graph) => {
  const starting = new Set(
    graph.topLevel.flatMap((id) => {
      const trigger = graph.nodes.get(id)!.trigger;
      return graph.nodes.get(id)!.kind === 'startEvent' && trigger?.kind === 'message' ? [trigger.messageName] : [];
    }),
  );
  if (starting.size === 0) return [];
  return nodesOf(graph)
    .filter((node) => (node.kind === 'intermediateThrowEvent' || node.kind === 'sendTask') && node.trigger?.kind === 'message' && !node.qt.jobType && starting.has(node.trigger.messageName))
    .map((node) => finding(node.id, `Bước ${stepName(node, 'vi')} gửi thông điệp mà chính quy trình này bắt đầu khi nhận: mỗi hồ sơ sẽ khởi tạo một hồ sơ mới, nối tiếp không dừng, trừ khi có điều kiện dừng trước bước này`, `Step ${stepName(node, 'en')} sends a message this very process starts on: each instance starts a new one, one after another without end, unless a choice before this step stops it`));
};

/** Rules whose findings are warnings: shown in the designer and returned with a deployment, which they do not refuse. */
export const procedureWarnings: Record<string, ProcedureRule> = {
  'message-restarts-process': messageRestartsProcess,
};

export const procedureRules: Record<string, ProcedureRule> = {
  'task-in-lane': taskInLane,
  'split-probabilities': splitProbabilities,
  'receipt-due-time': receiptWithinEightWorkingHours,
  'receipt-lane': receiptByReceivingAgency,
  'result-signed': electronicResultSigned,
  'one-amendment-request': oneAmendmentRequest,
  'payment-before-result': paymentBeforeResult,
};

// The graph as paths: where a token can go next from each node.

/** Where a run begins: the process's start events and those of its event sub-processes. */
function startsOf(graph: ProcessGraph): string[] {
  return graph.topLevel.flatMap((id) => {
    const node = graph.nodes.get(id)!;
    if (node.kind === 'startEvent') return [id];
    if (node.kind === 'subProcess' && node.triggeredByEvent) return (node.children ?? []).filter((child) => graph.nodes.get(child)?.kind === 'startEvent');
    return [];
  });
}

/**
 * The next nodes of each node: its flows' targets; an activity's boundary events; a sub-process's
 * start events (and its event sub-processes' starts); a sub-process's end events lead on to what
 * follows the sub-process (one without inner ends leads on itself).
 */
function successorMap(graph: ProcessGraph): Map<string, string[]> {
  const next = new Map<string, string[]>();
  const add = (from: string, to: string) => next.set(from, [...(next.get(from) ?? []), to]);
  const after = (node: FlowNode) => node.outgoing.map((flowId) => graph.flows.get(flowId)!.target);
  for (const node of graph.nodes.values()) {
    if (node.kind === 'boundaryEvent' && node.attachedTo !== undefined) add(node.attachedTo, node.id);
    const inner = (node.children ?? []).map((id) => graph.nodes.get(id)!);
    if (node.kind === 'subProcess' && !node.triggeredByEvent && inner.length > 0) {
      for (const child of inner) {
        if (child.kind === 'startEvent') add(node.id, child.id);
        if (child.kind === 'subProcess' && child.triggeredByEvent) for (const start of child.children ?? []) if (graph.nodes.get(start)?.kind === 'startEvent') add(node.id, start);
      }
      const ends = inner.filter((child) => child.kind === 'endEvent');
      for (const target of after(node)) for (const end of ends.length > 0 ? ends : [node]) add(end.id, target);
      continue;
    }
    for (const target of after(node)) add(node.id, target);
  }
  return next;
}

/** The nodes reached from `from`, going on only from nodes `passes` lets through (those it stops at are reached, not passed). */
function reachable(graph: ProcessGraph, from: string[], passes: (node: FlowNode) => boolean, successors = successorMap(graph)): Set<string> {
  const seen = new Set<string>(from);
  const pending = [...from];
  while (pending.length > 0) {
    const id = pending.pop()!;
    const node = graph.nodes.get(id);
    if (!node || !passes(node)) continue;
    for (const next of successors.get(id) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      pending.push(next);
    }
  }
  return seen;
}

/**
 * Tarjan's strongly connected components, iteratively (a model may be deep): each node's
 * component number, and the components' members in the order found (reverse topological). A
 * single node without a flow to itself is a component too, so the walk along the order covers
 * every node.
 */
function stronglyConnected(graph: ProcessGraph, successors: Map<string, string[]>): { component: Map<string, number>; components: string[][] } {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  const components: string[][] = [];
  let counter = 0;
  for (const root of graph.nodes.keys()) {
    if (index.has(root)) continue;
    const frames: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const targets = successors.get(frame.id) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!graph.nodes.has(target)) continue;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          frames.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const number = components.length;
      const found: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.set(member, number);
        found.push(member);
      } while (member !== frame.id);
      components.push(found);
    }
  }
  return { component, components };
}

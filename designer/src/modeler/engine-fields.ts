/**
 * The attributes the engine runs on (docs/bpmn-coverage.md), as the designer edits them: branch
 * conditions, multi-instance collections, timers, message correlation and the dossier's documents.
 * Each is checked with the engine's own reading (engine/compile/conditions.ts for FEEL,
 * engine/calendar/timers.ts for ISO 8601 timers), so what the field accepts deploys.
 * Pure functions over moddle elements: the properties-panel components live in engine-properties.ts.
 */
import { timerProblem } from '../../../engine/calendar/timers.ts';
import { expressionProblem } from '../../../engine/compile/conditions.ts';
import type { Bilingual } from './qt-fields.ts';

/** The parts of a bpmn-moddle element read and written here. */
export interface ModdleNode {
  $type: string;
  id?: string;
  get(name: string): unknown;
  $instanceOf(type: string): boolean;
}

export type Checked = Bilingual | undefined;

const DOSSIER = { vi: 'Điều 17.1.c Thông tư 01/2023/TT-VPCP', en: 'Circular 01/2023/TT-VPCP Art. 17.1.c' };
const PROCEDURES = { vi: 'Điều 17.1.a Thông tư 01/2023/TT-VPCP', en: 'Circular 01/2023/TT-VPCP Art. 17.1.a' };

/** Why a FEEL expression (optionally after Camunda's leading `=`) cannot be read; undefined when it can or is empty. */
export function feelProblem(text: string | undefined): Checked {
  const trimmed = (text ?? '').trim();
  if (trimmed === '' || trimmed === '=') return undefined;
  const problem = expressionProblem(trimmed);
  if (problem === undefined) return undefined;
  return { vi: `Biểu thức FEEL chưa đúng cú pháp: ${problem}`, en: `The FEEL expression is not well formed: ${problem}` };
}

export type TimerKind = 'timeDuration' | 'timeDate' | 'timeCycle';

export const timerKinds: ReadonlyArray<{ value: TimerKind; label: Bilingual; example: string }> = [
  { value: 'timeDuration', label: { vi: 'Khoảng thời gian', en: 'Duration' }, example: 'PT8H, P2D, P1M' },
  { value: 'timeDate', label: { vi: 'Thời điểm', en: 'Date' }, example: '2026-01-01T08:00:00' },
  { value: 'timeCycle', label: { vi: 'Chu kỳ', en: 'Cycle' }, example: 'R3/PT24H' },
];

const ENGINE_TIMER_KIND = { timeDuration: 'duration', timeDate: 'date', timeCycle: 'cycle' } as const;

/** Why an ISO 8601 timer expression would be refused at deployment (engine/calendar/timers.ts); undefined when empty or valid. */
export function timerExpressionProblem(kind: TimerKind, text: string | undefined): Checked {
  const expression = (text ?? '').trim();
  if (expression === '') return undefined;
  // The engine runs a cycle written without `R` (P1Y) once, as bpmn-engine's models have it
  // (docs/bpmn-coverage.md); written here it is a cycle missing its repetitions, so it is still shown.
  const unrepeated = kind === 'timeCycle' && !expression.startsWith('R');
  const problem = unrepeated ? 'no repetitions' : timerProblem({ kind: ENGINE_TIMER_KIND[kind], expression });
  if (problem === undefined) return undefined;
  const example = timerKinds.find((each) => each.value === kind)!.example;
  return { vi: `Không đọc được theo ISO 8601; ví dụ ${example}`, en: `Not readable as ISO 8601; e.g. ${example}` };
}

/** A name for a process variable (qt:elementVariable): a plain FEEL name, so that conditions can read it. */
export function variableNameProblem(text: string | undefined): Checked {
  const name = (text ?? '').trim();
  if (name === '' || /^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) return undefined;
  return { vi: 'Tên biến chỉ gồm chữ, số và dấu gạch dưới, không bắt đầu bằng số', en: 'A variable name has letters, digits and underscores, and does not start with a digit' };
}

/** An event's definition of a type (timer, message), if it is an event and has one. */
function eventDefinitionOf(element: ModdleNode, type: string): ModdleNode | undefined {
  if (!element.$instanceOf('bpmn:Event')) return undefined;
  const definitions = (element.get('eventDefinitions') as ModdleNode[] | undefined) ?? [];
  return definitions.find((definition) => definition.$instanceOf(type));
}

/** The timer definition of an event, if it has one. */
export function timerDefinitionOf(element: ModdleNode): ModdleNode | undefined {
  return eventDefinitionOf(element, 'bpmn:TimerEventDefinition');
}

/** Which of the three expressions a timer definition carries (duration when none yet), and its text. */
export function timerExpressionOf(definition: ModdleNode): { kind: TimerKind; expression: ModdleNode | undefined } {
  for (const { value } of timerKinds) {
    const expression = definition.get(value) as ModdleNode | undefined;
    if (expression) return { kind: value, expression };
  }
  return { kind: 'timeDuration', expression: undefined };
}

/** The body of a bpmn:FormalExpression, or undefined. */
export function expressionBody(expression: ModdleNode | undefined): string | undefined {
  const body = expression?.get('body');
  return typeof body === 'string' ? body : undefined;
}

/** A condition matters on flows leaving a gateway that chooses (exclusive, inclusive). */
export function isConditionalFlow(flow: ModdleNode): boolean {
  const source = flow.get('sourceRef') as ModdleNode | undefined;
  return flow.$instanceOf('bpmn:SequenceFlow') && (source?.$instanceOf('bpmn:ExclusiveGateway') === true || source?.$instanceOf('bpmn:InclusiveGateway') === true);
}

/**
 * The message definition where qt:correlationKey is read, if the element has one: a message catch
 * event's (the key it waits for), or an intermediate message throw's (the key it is published with).
 */
export function messageDefinitionOf(element: ModdleNode): ModdleNode | undefined {
  return element.$instanceOf('bpmn:CatchEvent') || element.$instanceOf('bpmn:IntermediateThrowEvent') ? eventDefinitionOf(element, 'bpmn:MessageEventDefinition') : undefined;
}

/** `<qt:document>` children of a flow node's extensionElements: the dossier's components (Circular 01 Art. 17.1.c). */
export const documentsOf = (node: ModdleNode): ModdleNode[] => extensionValuesOf(node, 'qt:Document');

/** `<qt:cutProcedure>` children of a process's extensionElements: the procedures its restructuring cuts (Circular 01 Art. 17.1.a). */
export const cutProceduresOf = (process: ModdleNode): ModdleNode[] => extensionValuesOf(process, 'qt:CutProcedure');

/** The children of an element's extensionElements of one moddle type. */
export function extensionValuesOf(node: ModdleNode, type: string): ModdleNode[] {
  const extension = node.get('extensionElements') as ModdleNode | undefined;
  const values = (extension?.get('values') as ModdleNode[] | undefined) ?? [];
  return values.filter((value) => value.$instanceOf(type));
}

export const engineTexts = {
  condition: {
    label: { vi: 'Điều kiện (FEEL)', en: 'Condition (FEEL)' },
    description: {
      vi: 'Biểu thức FEEL trên các biến của hồ sơ, ví dụ canBoSung = true; dấu = ở đầu được chấp nhận. Luồng mặc định của cổng không cần điều kiện: hồ sơ đi theo nó khi không điều kiện nào đúng.',
      en: 'A FEEL expression over the dossier’s variables, e.g. canBoSung = true; a leading = is accepted. The gateway’s default flow needs none: a dossier takes it when no condition holds.',
    },
  },
  defaultFlowHint: {
    vi: 'Đây là luồng mặc định của cổng: không cần điều kiện.',
    en: 'This is the gateway’s default flow: it needs no condition.',
  },
  defaultFlow: {
    label: { vi: 'Luồng mặc định', en: 'Default flow' },
    description: {
      vi: 'Luồng hồ sơ đi theo khi không điều kiện nào đúng; nên có để hồ sơ không bị dừng giữa chừng.',
      en: 'The flow a dossier takes when no condition holds; set one so that no dossier stops half-way.',
    },
  },
  collection: {
    label: { vi: 'Danh sách (qt:collection, FEEL)', en: 'Collection (qt:collection, FEEL)' },
    description: {
      vi: 'Biểu thức FEEL cho danh sách, mỗi phần tử một phiên bản, ví dụ coQuanLayYKien khi lấy ý kiến từng cơ quan (Điều 14.1 Nghị định 45/2020/NĐ-CP: hồ sơ cần nhiều cơ quan giải quyết).',
      en: 'A FEEL expression giving the list, one instance per item, e.g. agencies when each agency is consulted (Decree 45/2020/ND-CP Art. 14.1: dossiers handled by several agencies).',
    },
  },
  elementVariable: {
    label: { vi: 'Biến phần tử (qt:elementVariable)', en: 'Element variable (qt:elementVariable)' },
    description: {
      vi: 'Tên biến mà mỗi phiên bản đọc phần tử của mình, ví dụ coQuan.',
      en: 'The variable each instance reads its item from, e.g. agency.',
    },
  },
  timerKind: {
    label: { vi: 'Loại hẹn giờ', en: 'Timer type' },
    description: { vi: 'Khoảng thời gian, thời điểm hoặc chu kỳ lặp (ISO 8601).', en: 'A duration, a date or a repeating cycle (ISO 8601).' },
  },
  timerValue: {
    label: { vi: 'Hẹn giờ (ISO 8601)', en: 'Timer (ISO 8601)' },
    description: {
      vi: 'Khoảng thời gian như PT8H, P2D (theo giờ đồng hồ, múi giờ Việt Nam); thời điểm như 2026-01-01T08:00:00; chu kỳ như R3/PT24H. Thời hạn theo giờ làm việc (Điều 11.4 Nghị định 45/2020/NĐ-CP) ghi ở ô dưới.',
      en: 'A duration like PT8H, P2D (clock time, Vietnam’s time zone); a date like 2026-01-01T08:00:00; a cycle like R3/PT24H. A deadline in working hours (Decree 45/2020/ND-CP Art. 11.4) goes in the field below.',
    },
  },
  correlationKey: {
    label: { vi: 'Khóa tương quan (qt:correlationKey)', en: 'Correlation key (qt:correlationKey)' },
    description: {
      vi: 'Biến của hồ sơ mà thông điệp đến phải khớp, ví dụ maHoSo, để thông điệp vào đúng hồ sơ; trên sự kiện gửi thông điệp (không có qt:jobType), giá trị gửi kèm để thông điệp đến đúng hồ sơ bên nhận.',
      en: 'The dossier variable an incoming message must match, e.g. dossierCode, so that it reaches the right dossier; on a message throw (with no qt:jobType), the value sent with the message so that it reaches the right dossier of the receiver.',
    },
  },
  none: { vi: '(không có)', en: '(none)' },
  documents: {
    label: { vi: 'Thành phần hồ sơ', en: 'Dossier documents' },
    item: { vi: 'Giấy tờ', en: 'Document' },
    name: {
      label: { vi: 'Tên giấy tờ', en: 'Document name' },
      description: {
        vi: `Giấy tờ người dân nộp ở bước này; tái cấu trúc nhằm cắt giảm thành phần hồ sơ (${DOSSIER.vi}).`,
        en: `A document the applicant hands in at this step; restructuring aims to cut the dossier’s documents (${DOSSIER.en}).`,
      },
      empty: { vi: 'Giấy tờ phải có tên', en: 'A document needs a name' },
    },
    paper: {
      label: { vi: 'Nộp bản giấy', en: 'Handed in on paper' },
      description: {
        vi: `Có: người dân nộp bản giấy; không: bản điện tử hoặc dữ liệu đã có (${DOSSIER.vi}).`,
        en: `Yes: the applicant hands in paper; no: electronic, or data already held (${DOSSIER.en}).`,
      },
    },
    unnamed: { vi: '(chưa đặt tên)', en: '(unnamed)' },
    newName: { vi: 'Giấy tờ mới', en: 'New document' },
  },
  // The how values are engine/bpmn/process-graph.ts PROCEDURE_CUTS.
  cutProcedures: {
    label: { vi: 'Thủ tục hành chính được cắt giảm', en: 'Administrative procedures cut' },
    name: {
      label: { vi: 'Tên thủ tục', en: 'Procedure name' },
      description: {
        vi: `Thủ tục hành chính mà phương án tái cấu trúc này gộp, bãi bỏ hoặc làm cho không còn cần thiết (${PROCEDURES.vi}); ghi ở mô hình sau tái cấu trúc.`,
        en: `An administrative procedure this restructuring merges, abolishes or makes unnecessary (${PROCEDURES.en}); recorded on the to-be model.`,
      },
      empty: { vi: 'Thủ tục được cắt giảm phải có tên', en: 'A procedure cut needs a name' },
    },
    code: {
      label: { vi: 'Mã thủ tục (không bắt buộc)', en: 'Procedure code (optional)' },
      description: { vi: 'Mã trên Cơ sở dữ liệu quốc gia về thủ tục hành chính, ví dụ 1.001193.', en: 'Its code in the National Database of administrative procedures, e.g. 1.001193.' },
    },
    how: {
      label: { vi: 'Cách cắt giảm', en: 'How it is cut' },
      description: {
        vi: 'Gộp vào thủ tục này; bãi bỏ; hoặc không còn cần vì thủ tục này không còn yêu cầu giấy tờ mà thủ tục đó cấp (Điều 17.3.b).',
        en: 'Merged into this procedure; abolished; or no longer needed because this procedure no longer requires the document it issued (Art. 17.3.b).',
      },
    },
    hows: {
      merged: { vi: 'Gộp vào thủ tục này', en: 'Merged into this procedure' },
      abolished: { vi: 'Bãi bỏ', en: 'Abolished' },
      'not-required': { vi: 'Không còn cần', en: 'No longer required' },
    },
    unnamed: { vi: '(chưa đặt tên)', en: '(unnamed)' },
    newName: { vi: 'Thủ tục được cắt giảm', en: 'Procedure cut' },
  },
} as const;

/** Check that a document name is not empty, as the engine's reading refuses it (engine/bpmn/read-process.ts). */
export function documentNameProblem(text: string | undefined): Checked {
  return (text ?? '').trim() === '' ? engineTexts.documents.name.empty : undefined;
}

/** Check that a procedure cut is named, as the engine's reading refuses it (engine/bpmn/read-process.ts). */
export function cutProcedureNameProblem(text: string | undefined): Checked {
  return (text ?? '').trim() === '' ? engineTexts.cutProcedures.name.empty : undefined;
}

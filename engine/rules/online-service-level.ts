/**
 * The online-service level of a to-be model, by the criteria of Circular 01/2023 Art. 13:
 * wholly online (all of 13.1.a–h), partially online (13.1.a, b, c, d and g: Art. 13.2),
 * online information only (13.1.a and b: Art. 13.3), or not an online service at all.
 * Each unmet criterion names the elements that break it, read from the `qt` attributes
 * documented in docs/cost-model.md (channel, payment, presence, result, resultDelivery,
 * qt:document paper, and the process's publishedOnline and formsDownloadable).
 */
import type { Bilingual } from '../errors.ts';
import { describe } from '../bpmn/describe.ts';
import type { FlowNode, ProcessGraph } from '../bpmn/process-graph.ts';

export type Criterion = 'a' | 'b' | 'c' | 'd' | 'dd' | 'e' | 'g' | 'h';
export type OnlineServiceLevel = 'wholly-online' | 'partially-online' | 'information-only' | 'not-online';

export interface CriterionBreach {
  elementId: string;
  reason: Bilingual;
}

export interface CriterionResult {
  criterion: Criterion;
  label: Bilingual;
  met: boolean;
  /** False when nothing in the model is concerned (no fee to pay: 13.1.dd does not apply). */
  applicable: boolean;
  breaches: CriterionBreach[];
}

export interface OnlineServiceClassification {
  level: OnlineServiceLevel;
  label: Bilingual;
  criteria: CriterionResult[];
}

const LABELS: Record<Criterion, Bilingual> = {
  a: { vi: 'a) Thông tin thủ tục được công khai trên Cơ sở dữ liệu quốc gia', en: 'a) Procedure information published on the National Database' },
  b: { vi: 'b) Biểu mẫu được tải về trực tuyến', en: 'b) Forms can be downloaded online' },
  c: { vi: 'c) Tờ khai, đơn được điền và gửi trực tuyến', en: 'c) Application forms filled in and sent online' },
  d: { vi: 'd) Toàn bộ hồ sơ được gửi bằng phương tiện điện tử', en: 'd) The whole dossier is sent electronically' },
  dd: { vi: 'đ) Thanh toán phí, lệ phí trực tuyến', en: 'dd) Fees and charges paid online' },
  e: { vi: 'e) Không phải nộp, xuất trình giấy tờ hay có mặt tại cơ quan', en: 'e) No paper to show and no presence at an office' },
  g: { vi: 'g) Kết quả được cấp dưới dạng điện tử', en: 'g) The result is issued electronically' },
  h: { vi: 'h) Kết quả được trả trực tuyến hoặc qua bưu chính', en: 'h) The result is delivered online or by post' },
};

const LEVEL_LABELS: Record<OnlineServiceLevel, Bilingual> = {
  'wholly-online': { vi: 'Dịch vụ công trực tuyến toàn trình', en: 'Wholly online public service' },
  'partially-online': { vi: 'Dịch vụ công trực tuyến một phần', en: 'Partially online public service' },
  'information-only': { vi: 'Chỉ cung cấp thông tin trực tuyến', en: 'Online information only' },
  'not-online': { vi: 'Chưa đạt mức cung cấp thông tin trực tuyến', en: 'Not even online information' },
};

/** Art. 13.2: partially online needs a, b, c, d and g; Art. 13.3: information only needs a and b. */
const PARTIALLY_ONLINE: Criterion[] = ['a', 'b', 'c', 'd', 'g'];
const INFORMATION_ONLY: Criterion[] = ['a', 'b'];

export function classifyOnlineService(graph: ProcessGraph): OnlineServiceClassification {
  const nodes = [...graph.nodes.values()];
  const submissions = nodes.filter((node) => node.qt.documents.length > 0);
  const results = nodes.filter((node) => node.qt.result !== undefined);
  const breach = (node: FlowNode, vi: string, en: string): CriterionBreach => ({ elementId: node.id, reason: { vi: `${describe(node)}: ${vi}`, en: `${describe(node, 'en')}: ${en}` } });
  const processBreach = (attribute: string): CriterionBreach => ({
    elementId: graph.id,
    reason: { vi: `Quy trình ${graph.id} chưa khai báo ${attribute}="true"`, en: `Process ${graph.id} does not declare ${attribute}="true"` },
  });
  const noSubmission: CriterionBreach = {
    elementId: graph.id,
    reason: { vi: 'Mô hình không có bước nộp hồ sơ (chưa khai báo qt:document)', en: 'The model has no submission step (no qt:document declared)' },
  };

  const checks: Record<Criterion, { applicable: boolean; breaches: CriterionBreach[] }> = {
    a: { applicable: true, breaches: graph.procedure.publishedOnline ? [] : [processBreach('qt:publishedOnline')] },
    b: { applicable: true, breaches: graph.procedure.formsDownloadable ? [] : [processBreach('qt:formsDownloadable')] },
    c: {
      applicable: true,
      breaches: submissions.length === 0 ? [noSubmission] : submissions.filter((node) => node.qt.channel !== 'online').map((node) => breach(node, `hồ sơ được nộp qua kênh "${node.qt.channel ?? 'chưa khai báo'}", không trực tuyến`, `the dossier is submitted ${node.qt.channel ? `by "${node.qt.channel}"` : 'by an undeclared channel'}, not online`)),
    },
    d: {
      applicable: true,
      breaches: submissions.length === 0 ? [noSubmission] : submissions.flatMap((node) => {
        const paper = node.qt.documents.filter((document) => document.paper).map((document) => document.name);
        const offline = node.qt.channel !== 'online';
        if (paper.length === 0 && !offline) return [];
        const what = paper.length > 0 ? { vi: `giấy tờ bản giấy: ${paper.join('; ')}`, en: `paper documents: ${paper.join('; ')}` } : { vi: 'hồ sơ không gửi điện tử', en: 'the dossier is not sent electronically' };
        return [breach(node, what.vi, what.en)];
      }),
    },
    dd: {
      applicable: nodes.some((node) => (node.qt.feeVnd ?? 0) > 0),
      breaches: nodes.filter((node) => (node.qt.feeVnd ?? 0) > 0 && node.qt.payment !== 'online').map((node) => breach(node, `phí, lệ phí thanh toán qua "${node.qt.payment ?? 'chưa khai báo'}", không trực tuyến`, `fees are paid ${node.qt.payment ? `by "${node.qt.payment}"` : 'by an undeclared channel'}, not online`)),
    },
    e: {
      applicable: true,
      breaches: nodes.flatMap((node) => {
        if (node.qt.presence) return [breach(node, 'người nộp phải có mặt hoặc xuất trình bản chính', 'the applicant must be present or show originals')];
        if (node.qt.channel === 'in-person') return [breach(node, 'người nộp phải đến trực tiếp', 'the applicant must come in person')];
        if ((node.qt.trips ?? 0) > 0) return [breach(node, `người nộp phải đến cơ quan (qt:trips = ${node.qt.trips})`, `the applicant must visit an office (qt:trips = ${node.qt.trips})`)];
        return [];
      }),
    },
    g: {
      applicable: true,
      breaches: results.length === 0
        ? [{ elementId: graph.id, reason: { vi: 'Mô hình không có bước trả kết quả (chưa khai báo qt:result)', en: 'The model has no result step (no qt:result declared)' } }]
        : results.some((node) => node.qt.result !== 'paper') ? [] : results.map((node) => breach(node, 'kết quả chỉ cấp bản giấy', 'the result is issued on paper only')),
    },
    h: {
      applicable: true,
      breaches: results.length === 0
        ? [{ elementId: graph.id, reason: { vi: 'Mô hình không có bước trả kết quả (chưa khai báo qt:result)', en: 'The model has no result step (no qt:result declared)' } }]
        : results.filter((node) => node.qt.resultDelivery !== 'online' && node.qt.resultDelivery !== 'post').map((node) => breach(node, `kết quả trả qua "${node.qt.resultDelivery ?? 'chưa khai báo'}"`, `the result is delivered ${node.qt.resultDelivery ? `"${node.qt.resultDelivery}"` : 'by an undeclared way'}`)),
    },
  };

  const criteria = (Object.keys(LABELS) as Criterion[]).map((criterion): CriterionResult => {
    const { applicable, breaches } = checks[criterion];
    return { criterion, label: LABELS[criterion], applicable, met: !applicable || breaches.length === 0, breaches };
  });
  const met = new Set(criteria.filter((result) => result.met).map((result) => result.criterion));
  const level: OnlineServiceLevel = criteria.every((result) => result.met)
    ? 'wholly-online'
    : PARTIALLY_ONLINE.every((criterion) => met.has(criterion))
      ? 'partially-online'
      : INFORMATION_ONLY.every((criterion) => met.has(criterion))
        ? 'information-only'
        : 'not-online';
  return { level, label: LEVEL_LABELS[level], criteria };
}

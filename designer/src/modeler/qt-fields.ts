/**
 * The `qt` attributes the designer edits (docs/cost-model.md, engine/bpmn/qt-moddle.json): what
 * each means, its unit, and the article it implements, in both languages. Kept apart from the
 * properties-panel components so the rules (parsing, validation) can be read and tested alone.
 */
import type { Language } from '../i18n.ts';
import { formatLocalisedNumber, readLocalisedNumber, type NumberReading } from './localised-number.ts';

export interface Bilingual {
  vi: string;
  en: string;
}

export type QtFieldKind = 'amount' | 'probability' | 'text' | 'flag' | 'choice';

export interface QtChoice {
  value: string;
  label: Bilingual;
}

export interface QtField {
  /** The attribute's local name in the qt namespace. */
  name: string;
  kind: QtFieldKind;
  label: Bilingual;
  description: Bilingual;
  choices?: readonly QtChoice[];
}

const SCM = { vi: 'Điều 27 Thông tư 02/2017/TT-VPCP', en: 'Circular 02/2017/TT-VPCP Art. 27' };

/** On `bpmn:Process` (reached through its participant in a collaboration). */
export const processFields: readonly QtField[] = [
  {
    name: 'procedureCode',
    kind: 'text',
    label: { vi: 'Mã thủ tục', en: 'Procedure code' },
    description: {
      vi: 'Mã thủ tục hành chính trên Cơ sở dữ liệu quốc gia về thủ tục hành chính, ví dụ 1.001193.',
      en: 'The procedure code on the National Database of administrative procedures, e.g. 1.001193.',
    },
  },
  {
    name: 'subjectsPerYear',
    kind: 'amount',
    label: { vi: 'Số đối tượng mỗi năm', en: 'Subjects per year' },
    description: {
      vi: `Số tổ chức, cá nhân thực hiện thủ tục trong một năm. Chi phí một năm = chi phí một hồ sơ × số lần mỗi năm × số đối tượng (${SCM.vi}). Bắt buộc để tính chi phí.`,
      en: `Organisations or people following the procedure in a year. Annual cost = cost of one dossier × times per year × subjects (${SCM.en}). Required for the cost.`,
    },
  },
  {
    name: 'timesPerYear',
    kind: 'amount',
    label: { vi: 'Số lần mỗi năm của một đối tượng', en: 'Times per year, per subject' },
    description: {
      vi: `Số lần một đối tượng thực hiện thủ tục trong năm; để trống là 1 (${SCM.vi}).`,
      en: `Times one subject follows the procedure in a year; 1 when empty (${SCM.en}).`,
    },
  },
  {
    name: 'hourlyIncomeVnd',
    kind: 'amount',
    label: { vi: 'Thu nhập bình quân (VNĐ/giờ)', en: 'Average hourly income (VND/h)' },
    description: {
      vi: `Chi phí thời gian = số giờ của người thực hiện × thu nhập bình quân một giờ (${SCM.vi}); khi các nguồn số liệu khác nhau, ghi mức bình quân thấp hơn (Điều 27.2). Bắt buộc để tính chi phí.`,
      en: `Time cost = the applicant's hours × the average hourly income (${SCM.en}); where sources differ, enter the lower average (Art. 27.2). Required for the cost.`,
    },
  },
  {
    name: 'publishedOnline',
    kind: 'flag',
    label: { vi: 'Công khai trên CSDL quốc gia về TTHC', en: 'Published on the National Database' },
    description: {
      vi: 'Điều 13.1.a Thông tư 01/2023/TT-VPCP: toàn bộ thông tin về thủ tục được công khai trên Cơ sở dữ liệu quốc gia về thủ tục hành chính.',
      en: 'Circular 01/2023/TT-VPCP Art. 13.1.a: all information on the procedure is published on the National Database of administrative procedures.',
    },
  },
  {
    name: 'formsDownloadable',
    kind: 'flag',
    label: { vi: 'Tải được biểu mẫu', en: 'Forms downloadable' },
    description: {
      vi: 'Điều 13.1.b Thông tư 01/2023/TT-VPCP: tổ chức, cá nhân tải được các mẫu đơn, tờ khai trên Cơ sở dữ liệu quốc gia về thủ tục hành chính.',
      en: 'Circular 01/2023/TT-VPCP Art. 13.1.b: the forms can be downloaded from the National Database of administrative procedures.',
    },
  },
];

const channels: readonly QtChoice[] = [
  { value: 'online', label: { vi: 'Trực tuyến', en: 'Online' } },
  { value: 'in-person', label: { vi: 'Trực tiếp', en: 'In person' } },
  { value: 'post', label: { vi: 'Qua bưu chính', en: 'By post' } },
];

/** On any flow node but a gateway: a task, an event, a sub-process, a call activity. */
export const stepFields: readonly QtField[] = [
  {
    name: 'applicantHours',
    kind: 'amount',
    label: { vi: 'Thời gian của người dân (giờ)', en: "Applicant's time (hours)" },
    description: {
      vi: `Số giờ người thực hiện thủ tục tự bỏ ra ở bước này: đọc, điền tờ khai, đi lại, chờ đợi; nhân với thu nhập bình quân một giờ (${SCM.vi}).`,
      en: `Hours of the applicant's own work at this step: reading, filling in forms, travelling, waiting; times the average hourly income (${SCM.en}).`,
    },
  },
  {
    name: 'outOfPocketVnd',
    kind: 'amount',
    label: { vi: 'Chi phí khác của người dân (VNĐ)', en: "Applicant's other costs (VND)" },
    description: {
      vi: `Sao chụp, chứng thực, bưu chính, đi lại, thuê tư vấn… ở bước này (${SCM.vi}).`,
      en: `Copies, notarisation, postage, travel, consultants… at this step (${SCM.en}).`,
    },
  },
  {
    name: 'feeVnd',
    kind: 'amount',
    label: { vi: 'Phí, lệ phí (VNĐ)', en: 'Fees and charges (VND)' },
    description: {
      vi: `Phí, lệ phí nộp ở bước này (${SCM.vi}).`,
      en: `Fees and charges paid at this step (${SCM.en}).`,
    },
  },
  {
    name: 'trips',
    kind: 'amount',
    label: { vi: 'Số lượt đến cơ quan', en: 'Visits to an office' },
    description: {
      vi: 'Số lần người dân phải đến cơ quan ở bước này; tái cấu trúc nhằm giảm việc đi lại, tiếp xúc trực tiếp (Điều 17.1.b Thông tư 01/2023/TT-VPCP).',
      en: 'Times the applicant must go to an office at this step; restructuring aims to reduce travel and direct contact (Circular 01/2023/TT-VPCP Art. 17.1.b).',
    },
  },
  {
    name: 'manual',
    kind: 'flag',
    label: { vi: 'Cơ quan làm thủ công', en: 'Done by hand by the agency' },
    description: {
      vi: 'Có: cơ quan làm bước này bằng tay; tái cấu trúc nhằm giảm các bước xử lý thủ công (Điều 17.1.d Thông tư 01/2023/TT-VPCP). Tác vụ thủ công được tính là thủ công trừ khi ghi Không.',
      en: 'Yes: the agency does this step by hand; restructuring aims to reduce manual steps (Circular 01/2023/TT-VPCP Art. 17.1.d). A manual task counts as manual unless set to No.',
    },
  },
  {
    name: 'officialHours',
    kind: 'amount',
    label: { vi: 'Thời gian của cán bộ (giờ)', en: "Officials' time (hours)" },
    description: {
      vi: 'Công sức của cơ quan ở bước này, tính vào số giờ cán bộ tiết kiệm được mỗi năm (Điều 18 Thông tư 01/2023/TT-VPCP).',
      en: "The agency's own effort at this step, counted in the officials' hours saved per year (Circular 01/2023/TT-VPCP Art. 18).",
    },
  },
  {
    name: 'durationHours',
    kind: 'amount',
    label: { vi: 'Thời gian bước kéo dài (giờ làm việc)', en: 'Duration (working hours)' },
    description: {
      vi: 'Số giờ làm việc bước này kéo dài; cộng theo đường dài nhất thành thời gian giải quyết hồ sơ.',
      en: "Working hours this step lasts; added along the longest path into the dossier's lead time.",
    },
  },
  {
    name: 'dueWorkingHours',
    kind: 'amount',
    label: { vi: 'Thời hạn (giờ làm việc)', en: 'Due within (working hours)' },
    description: {
      vi: 'Thời hạn của bước, tính theo giờ làm việc (trừ ngày nghỉ, ngày lễ); hồ sơ điện tử phải được tiếp nhận trong 08 giờ làm việc (Điều 11.4 Nghị định 45/2020/NĐ-CP).',
      en: 'When the step falls due, in working hours (weekends and holidays excluded); an electronic dossier must be received within 08 working hours (Decree 45/2020/ND-CP Art. 11.4).',
    },
  },
  {
    name: 'jobType',
    kind: 'text',
    label: { vi: 'Loại việc máy chủ làm', en: 'Job type' },
    description: {
      vi: 'Với tác vụ dịch vụ, gửi, kịch bản, quy tắc nghiệp vụ: việc máy chủ thực hiện, ví dụ result.sign để ký số kết quả điện tử (Điều 14.3.b Nghị định 45/2020/NĐ-CP).',
      en: 'For service, send, script and business-rule tasks: the job the server runs, e.g. result.sign to sign an electronic result (Decree 45/2020/ND-CP Art. 14.3.b).',
    },
  },
  {
    name: 'channel',
    kind: 'choice',
    choices: channels,
    label: { vi: 'Cách người dân thực hiện', en: 'How the applicant takes part' },
    description: {
      vi: 'Trực tuyến, trực tiếp hay qua bưu chính; dịch vụ công trực tuyến cần điền, gửi hồ sơ trực tuyến (Điều 13.1.c–e Thông tư 01/2023/TT-VPCP).',
      en: 'Online, in person or by post; an online public service takes forms and dossiers online (Circular 01/2023/TT-VPCP Art. 13.1.c–e).',
    },
  },
  {
    name: 'payment',
    kind: 'choice',
    choices: [
      { value: 'online', label: { vi: 'Trực tuyến', en: 'Online' } },
      { value: 'in-person', label: { vi: 'Trực tiếp', en: 'In person' } },
      { value: 'bank-transfer', label: { vi: 'Chuyển khoản', en: 'Bank transfer' } },
    ],
    label: { vi: 'Cách nộp phí, lệ phí', en: 'How fees are paid' },
    description: {
      vi: 'Điều 13.1.dd Thông tư 01/2023/TT-VPCP: phí, lệ phí được thanh toán trực tuyến.',
      en: 'Circular 01/2023/TT-VPCP Art. 13.1.dd: fees and charges are paid online.',
    },
  },
  {
    name: 'presence',
    kind: 'flag',
    label: { vi: 'Phải có mặt hoặc xuất trình bản chính', en: 'Presence or originals required' },
    description: {
      vi: 'Có: người dân phải đến, có mặt hoặc xuất trình giấy tờ bản chính ở bước này (Điều 13.1.e Thông tư 01/2023/TT-VPCP).',
      en: 'Yes: the applicant must come, be present or show originals at this step (Circular 01/2023/TT-VPCP Art. 13.1.e).',
    },
  },
  {
    name: 'result',
    kind: 'choice',
    choices: [
      { value: 'electronic', label: { vi: 'Điện tử', en: 'Electronic' } },
      { value: 'paper', label: { vi: 'Giấy', en: 'Paper' } },
      { value: 'both', label: { vi: 'Cả điện tử và giấy', en: 'Both' } },
    ],
    label: { vi: 'Bước này trả kết quả dạng', en: 'This step issues the result as' },
    description: {
      vi: 'Điều 13.1.g Thông tư 01/2023/TT-VPCP: kết quả giải quyết thủ tục ở dạng điện tử.',
      en: 'Circular 01/2023/TT-VPCP Art. 13.1.g: the result is issued in electronic form.',
    },
  },
  {
    name: 'resultDelivery',
    kind: 'choice',
    choices: channels,
    label: { vi: 'Cách trả kết quả', en: 'How the result reaches the applicant' },
    description: {
      vi: 'Điều 13.1.h Thông tư 01/2023/TT-VPCP: kết quả được trả trực tuyến hoặc qua bưu chính, người dân không phải đến nhận.',
      en: 'Circular 01/2023/TT-VPCP Art. 13.1.h: the result is sent online or by post, the applicant need not come for it.',
    },
  },
];

/** On start events and user tasks: the form-js form filled at the step (docs/dossiers.md). */
export const formField: QtField = {
  name: 'form',
  kind: 'text',
  label: { vi: 'Biểu mẫu (ký hiệu)', en: 'Form (symbol)' },
  description: {
    vi: 'Ký hiệu biểu mẫu điện tử của bước, chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ to-khai; mã biểu mẫu là <mã thủ tục>.<ký hiệu> (Điều 22.3.b Thông tư 01/2023/TT-VPCP). Ở sự kiện bắt đầu: tờ khai của thủ tục.',
    en: 'The symbol of the step’s electronic form, lower-case letters, digits and hyphens, e.g. to-khai; the form code is <procedure code>.<symbol> (Circular 01/2023/TT-VPCP Art. 22.3.b). On the start event: the procedure’s application form.',
  },
};

/** On user tasks: the step's part in the dossier's lifecycle. */
export const dossierStepField: QtField = {
  name: 'dossierStep',
  kind: 'choice',
  choices: [
    { value: 'receipt', label: { vi: 'Tiếp nhận hồ sơ', en: 'Receipt check' } },
    { value: 'approval', label: { vi: 'Phê duyệt, ký kết quả', en: 'Approval (signs the result)' } },
  ],
  label: { vi: 'Bước của hồ sơ', en: 'Dossier step' },
  description: {
    vi: 'Tiếp nhận hồ sơ: cán bộ tiếp nhận, yêu cầu bổ sung (một lần) hoặc từ chối có nêu lý do (Điều 11.2–11.4 Nghị định 45/2020/NĐ-CP). Phê duyệt: cán bộ hoàn thành bước này ký số kết quả bằng chứng thư cá nhân, sau đó cơ quan ký số (Điều 14.3.b).',
    en: 'Receipt check: the official receives the dossier, asks for an amendment (once) or refuses it with reasons (Decree 45/2020/ND-CP Art. 11.2–11.4). Approval: the official who completes this step signs the result with their personal certificate, then the agency seals it (Art. 14.3.b).',
  },
};

/** On lanes: the applicant's lane, whose user tasks the applicant does from the portal. */
export const applicantLaneField: QtField = {
  name: 'applicant',
  kind: 'flag',
  label: { vi: 'Làn của người nộp hồ sơ', en: "The applicant's lane" },
  description: {
    vi: 'Có: các tác vụ người dùng trong làn này do chính người nộp hồ sơ thực hiện trên Cổng dịch vụ công, không giao cho cán bộ nào.',
    en: 'Yes: the user tasks in this lane are done by the applicant on the portal, and offered to no official.',
  },
};

export const flowProbabilityField: QtField = {
  name: 'probability',
  kind: 'probability',
  label: { vi: 'Xác suất đi theo luồng (0–1)', en: 'Chance of this flow (0–1)' },
  description: {
    vi: 'Khả năng hồ sơ đi theo luồng này. Các luồng ra khỏi cổng loại trừ cộng lại bằng 1; được để trống một luồng (thường là luồng mặc định), luồng đó nhận phần còn lại. Vòng bổ sung với xác suất p lặp trung bình 1 ÷ (1 − p) lần (Điều 18 Thông tư 01/2023/TT-VPCP).',
    en: 'The chance a dossier takes this flow. The flows leaving an exclusive gateway add up to 1; one (usually the default flow) may be left empty and gets the remainder. An amendment loop with chance p runs 1 ÷ (1 − p) times on average (Circular 01/2023/TT-VPCP Art. 18).',
  },
};

export const eventProbabilityField: QtField = {
  name: 'probability',
  kind: 'probability',
  label: { vi: 'Xác suất xảy ra (0–1)', en: 'Chance it happens (0–1)' },
  description: {
    vi: 'Khả năng sự kiện xảy ra trong một lần thực hiện hoạt động; để trống là không bao giờ xảy ra khi tính chi phí.',
    en: 'The chance the event happens during one run of the activity; empty means it never happens in the cost model.',
  },
};

export const expectedCountField: QtField = {
  name: 'expectedCount',
  kind: 'amount',
  label: { vi: 'Số phiên bản bình quân', en: 'Average number of instances' },
  description: {
    vi: 'Khi số phiên bản lấy từ dữ liệu (ví dụ số cơ quan được lấy ý kiến): số bình quân, để tính chi phí.',
    en: 'When the number of instances comes from data (e.g. agencies consulted): the average, for the cost.',
  },
};

/** On a bpmn:TimerEventDefinition: a deadline counted on the working calendar (engine/calendar). */
export const timerWorkingHoursField: QtField = {
  name: 'workingHours',
  kind: 'amount',
  label: { vi: 'Hẹn giờ theo giờ làm việc', en: 'Timer in working hours' },
  description: {
    vi: 'Số giờ làm việc (trừ ngày nghỉ, ngày lễ) đến khi hẹn giờ đến hạn, tối đa 10.000; được dùng thay biểu thức ISO 8601 ở trên (Điều 11.4 Nghị định 45/2020/NĐ-CP).',
    en: 'Working hours (weekends and holidays excluded) until the timer falls due, at most 10,000; used instead of the ISO 8601 expression above (Decree 45/2020/ND-CP Art. 11.4).',
  },
};

export const qtGroupLabel: Bilingual = { vi: 'Chi phí & thực thi (qt)', en: 'Cost & execution (qt)' };

export const notSet: Bilingual = { vi: '(không ghi)', en: '(not set)' };
export const yesNo: readonly QtChoice[] = [
  { value: 'true', label: { vi: 'Có', en: 'Yes' } },
  { value: 'false', label: { vi: 'Không', en: 'No' } },
];

const messages = {
  negative: { vi: 'Không được là số âm', en: 'Must not be negative' },
  notAProbability: { vi: 'Xác suất phải từ 0 đến 1', en: 'A chance lies between 0 and 1' },
} satisfies Record<string, Bilingual>;

export type Parsed = NumberReading;

/** Reads what the user typed into a number field, in the language shown (localised-number.ts); empty removes the attribute. */
export function parseQtNumber(text: string | undefined, kind: 'amount' | 'probability', language: Language): Parsed {
  const read = readLocalisedNumber(text, language);
  if (!read.ok || read.value === undefined) return read;
  // docs/cost-model.md: every amount is a non-negative number; a probability lies in 0–1.
  if (read.value < 0) return { ok: false, error: messages.negative };
  if (kind === 'probability' && read.value > 1) return { ok: false, error: messages.notAProbability };
  return read;
}

/** A stored number as the field shows it: 1.400.000 and 1,5 in Vietnamese, 1,400,000 and 1.5 in English. */
export function formatQtNumber(value: unknown, language: Language): string | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) return undefined;
  return formatLocalisedNumber(value, language);
}

import type { Knex } from 'knex';
import type { Bilingual } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';

/** A dossier's stage, as docs/dossiers.md lists them. */
export const DOSSIER_STATUSES = ['submitted', 'received', 'amendment-requested', 'processing', 'result-issued', 'refused', 'completed'] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

export const STATUS_TEXT: Record<DossierStatus, Bilingual> = {
  submitted: { vi: 'Đã nộp, chờ tiếp nhận', en: 'Submitted, awaiting receipt' },
  received: { vi: 'Đã tiếp nhận', en: 'Received' },
  'amendment-requested': { vi: 'Cần bổ sung hồ sơ', en: 'Amendment requested' },
  processing: { vi: 'Đang giải quyết', en: 'Being processed' },
  'result-issued': { vi: 'Đã có kết quả', en: 'Result issued' },
  refused: { vi: 'Từ chối tiếp nhận / giải quyết', en: 'Refused' },
  completed: { vi: 'Đã kết thúc', en: 'Closed' },
};

export interface DossierRow {
  id: string;
  instance_id: string;
  definition_id: string;
  procedure_key: string;
  procedure_code: string | null;
  procedure_name: string;
  owner_account_id: string;
  applicant_name: string;
  applicant_id: string | null;
  agency_code: string;
  code: string;
  status: DossierStatus;
  form_code: string | null;
  form_version: number | null;
  data: Record<string, unknown>;
  submitted_at: Date;
  receipt_due_at: Date;
  received_at: Date | null;
  amendment_requested_at: Date | null;
  amendment_request: { items: string[]; note?: string; by: string } | null;
  amended_at: Date | null;
  refusal: { reasons: string[]; by: string } | null;
  ended_at: Date | null;
}

/** What happened to a dossier, in the words its history shows. */
export const EVENT_TEXT = {
  submitted: { vi: 'Hệ thống đã nhận hồ sơ (thời điểm tiếp nhận chính thức)', en: 'The system received the application (official receipt time)' },
  received: { vi: 'Cán bộ một cửa đã tiếp nhận hồ sơ', en: 'The one-stop desk received the dossier' },
  'amendment-requested': { vi: 'Yêu cầu bổ sung, hoàn thiện hồ sơ (một lần)', en: 'Amendment requested (once)' },
  amended: { vi: 'Người nộp đã bổ sung hồ sơ (giữ nguyên mã hồ sơ)', en: 'The applicant amended the dossier (same code)' },
  refused: { vi: 'Từ chối, nêu rõ lý do', en: 'Refused, with reasons' },
  'result-issued': { vi: 'Đã ban hành kết quả', en: 'Result issued' },
  'result-annulled': { vi: 'Kết quả đã bị huỷ', en: 'Result annulled' },
  'task-completed': { vi: 'Hoàn thành bước xử lý', en: 'Step completed' },
} as const satisfies Record<string, Bilingual>;
export type DossierEventKind = keyof typeof EVENT_TEXT;

export function recordDossierEvent(trx: Knex.Transaction | Database, dossierId: string, kind: DossierEventKind | (string & {}), actor: string, details: Record<string, unknown> = {}, at?: Date): Promise<unknown> {
  return trx('dossier_events').insert({ dossier_id: dossierId, kind, actor, details: JSON.stringify(details), ...(at ? { at } : {}) });
}

import { APPLICANT_CANDIDATE_GROUP } from '../../engine/bpmn/process-graph.ts';
import type { Knex } from 'knex';
import type { Database } from '../db/connect.ts';
import { dossierPayments } from '../payments/dossier-payments.ts';
import { ratingOf } from '../indicators/rating.ts';
import type { ComponentSignature } from './component-signatures.ts';
import { EVENT_TEXT, STATUS_TEXT, type DossierRow } from './records.ts';

/** One dossier as the portal and the workspace show it (docs/dossiers.md, "The dossier view"). */
export async function dossierView(db: Database | Knex.Transaction, dossier: DossierRow, now = new Date()) {
  const [agency, components, events, results, tasks, payments, rating] = await Promise.all([
    db('agencies').where({ code: dossier.agency_code }).first<{ code: string; name: string } | undefined>('code', 'name'),
    db('dossier_components').where({ dossier_id: dossier.id }).whereNull('superseded_at').orderBy('uploaded_at').select<Array<{ id: string; name: string; file_name: string; media_type: string; size: number; uploaded_at: Date; signature: ComponentSignature | null }>>('id', 'name', 'file_name', 'media_type', 'size', 'uploaded_at', 'signature'),
    db('dossier_events').where({ dossier_id: dossier.id }).orderBy('id').select<DossierEventRow[]>('at', 'kind', 'actor', 'details'),
    db('dossier_results').where({ dossier_id: dossier.id }).orderBy('n').select<Array<{ code: string; n: number; title: string; issued_at: Date; annulled_at: Date | null; annulment_reason: string | null }>>('code', 'n', 'title', 'issued_at', 'annulled_at', 'annulment_reason'),
    db('user_tasks').where({ instance_id: dossier.instance_id, status: 'open' }).orderBy('created_at').select<Array<{ id: string; element_id: string; name: string | null; due_at: Date | null; candidate_group: string | null }>>('id', 'element_id', 'name', 'due_at', 'candidate_group'),
    dossierPayments(db, dossier.id),
    ratingOf(db, dossier.id),
  ]);
  return {
    ...dossierSummary(dossier, now),
    agency: { code: dossier.agency_code, name: agency?.name ?? dossier.agency_code },
    formCode: dossier.form_code,
    formVersion: dossier.form_version,
    data: dossier.data,
    components: components.map((c) => ({ id: c.id, name: c.name, fileName: c.file_name, mediaType: c.media_type, size: c.size, uploadedAt: c.uploaded_at.toISOString(), signature: componentSignature(c.signature) })),
    receivedAt: dossier.received_at?.toISOString() ?? null,
    amendment: dossier.amendment_request
      ? { requestedAt: dossier.amendment_requested_at!.toISOString(), items: dossier.amendment_request.items, note: dossier.amendment_request.note ?? null, answeredAt: dossier.amended_at?.toISOString() ?? null }
      : null,
    refusal: dossier.refusal ? { at: dossier.ended_at?.toISOString() ?? null, reasons: dossier.refusal.reasons } : null,
    results: results.map((r) => ({ code: r.code, n: r.n, title: r.title, issuedAt: r.issued_at.toISOString(), annulledAt: r.annulled_at?.toISOString() ?? null, annulmentReason: r.annulment_reason })),
    history: events.map((e) => ({ ...historyItem(e), actor: e.actor, details: e.details })),
    tasks: tasks.map((t) => ({ id: t.id, elementId: t.element_id, name: t.name, dueAt: t.due_at?.toISOString() ?? null, applicant: t.candidate_group === APPLICANT_CANDIDATE_GROUP })),
    payments,
    /** The applicant's rating once the dossier ended (docs/indicators.md), or null. */
    rating,
    instanceId: dossier.instance_id,
    definitionId: dossier.definition_id,
  };
}

/** A line of a dossier's history (`dossier_events`). */
export interface DossierEventRow {
  at: Date;
  kind: string;
  actor: string;
  details: Record<string, unknown>;
}

/** When and what happened, in the history's words (the product's events, or the text a worker wrote). */
export function historyItem(event: Pick<DossierEventRow, 'at' | 'kind' | 'details'>) {
  return { at: event.at.toISOString(), kind: event.kind, text: EVENT_TEXT[event.kind as keyof typeof EVENT_TEXT] ?? eventText(event.details) ?? { vi: event.kind, en: event.kind } };
}

/** A component's signature as verified on receipt (Decree 45 Art. 11.2.b), null when it carries none. */
export function componentSignature(signature: ComponentSignature | null) {
  if (!signature) return null;
  return { valid: signature.valid, signer: signature.signer, signedAt: signature.signedAt, trustedRoot: signature.trustedRoot, problems: signature.problems, verifiedAt: signature.verifiedAt };
}

/** The text a worker's event carries (server/workers/dossier-records.ts). */
function eventText(details: Record<string, unknown>): { vi: string; en: string } | undefined {
  const text = details.text as { vi?: unknown; en?: unknown } | undefined;
  return typeof text?.vi === 'string' && typeof text.en === 'string' ? { vi: text.vi, en: text.en } : undefined;
}

/** What every dossier answer carries, the lists' rows included. */
function dossierSummary(dossier: DossierRow, now: Date) {
  return {
    id: dossier.id,
    code: dossier.code,
    status: dossier.status,
    statusText: STATUS_TEXT[dossier.status],
    procedure: { key: dossier.procedure_key, code: dossier.procedure_code, name: dossier.procedure_name },
    applicant: { name: dossier.applicant_name, idNumber: dossier.applicant_id },
    submittedAt: dossier.submitted_at.toISOString(),
    receiptDueAt: dossier.receipt_due_at.toISOString(),
    // Decree 45 Art. 11.4: still waiting for the receipt decision past its 08 working hours.
    receiptOverdue: dossier.received_at === null && dossier.status === 'submitted' && dossier.receipt_due_at.getTime() < now.getTime(),
    endedAt: dossier.ended_at?.toISOString() ?? null,
  };
}

/** A row of a dossier list: what the lists show without reading every dossier's history. */
export function dossierListItem(dossier: DossierRow, now = new Date()) {
  return { ...dossierSummary(dossier, now), agencyCode: dossier.agency_code };
}

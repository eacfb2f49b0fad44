import { z } from 'zod';
import type { Knex } from 'knex';
import { addWorkingHours } from '../../engine/calendar/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { parseForm, prefill, validateSubmission, type Holder, type Prefill } from '../../engine/forms/index.ts';
import type { Database } from '../db/connect.ts';
import { agencyCalendars } from '../execution/agency-calendars.ts';
import { applyInstanceEvent, startProcessInstance } from '../execution/instances.ts';
import { completionEventId } from '../execution/single-statement-step.ts';
import type { UserTaskRow } from '../execution/tasks.ts';
import type { AccountProfile } from '../identity/accounts.ts';
import type { Principal } from '../identity/roles.ts';
import { vietnamDateTime, vietnamMoment } from '../printing/vietnam-time.ts';
import { nextApplicationNumber } from '../workers/application-number.ts';
import type { PdfPool } from '../workers/pdf-pool.ts';
import { signatureFlag, verifyComponentSignatures, type ComponentSignature } from './component-signatures.ts';
import { checkComponents, MAX_COMPONENTS, uploadSchema, type CheckedComponent, type ComponentSlot } from './components.ts';
import { formVersion, latestForm, type StoredForm } from './forms.ts';
import { assertServiceOpen } from '../publications/service-publications.ts';
import { openProcedureOf, receivingAgencies, type OpenProcedure } from './procedures.ts';
import { addNotice } from './notices.ts';
import { resolveStoredComponents, storedComponentSchema, withStoredOffers, type StoredOffer } from '../datastore/reuse.ts';
import { recordDossierEvent, type DossierRow } from './records.ts';

/** Decree 45 Art. 11.4: the applicant is told of receipt or asked to amend within 08 working hours of receipt on the system. */
export const RECEIPT_WORKING_HOURS = 8;

export const submissionBody = z
  .object({
    procedureKey: z.string().trim().min(1, 'required').max(200),
    agencyCode: z.string().trim().min(1).max(100).optional(),
    /** The form version the applicant filled; a newer one since is refused (409) so they fill that. */
    formVersion: z.number().int().positive().optional(),
    data: z.unknown(),
    /** Each a file, or `{name, storedDocumentId}`: a document of the applicant's e-data store (Decree 45 Art. 16.4). */
    components: z.array(z.union([uploadSchema, storedComponentSchema])).max(MAX_COMPONENTS, `at most ${MAX_COMPONENTS} components`).default([]),
  })
  .strict();
export type SubmissionBody = z.infer<typeof submissionBody>;

export const amendmentBody = z
  .object({
    data: z.unknown(),
    /** As at submission: a file, or a document of the applicant's store (Decree 45 Art. 4.4: not asked again for it). */
    components: z.array(z.union([uploadSchema, storedComponentSchema])).max(MAX_COMPONENTS, `at most ${MAX_COMPONENTS} components`).default([]),
  })
  .strict();
export type AmendmentBody = z.infer<typeof amendmentBody>;

interface ApplicantAccount {
  id: string;
  display_name: string;
  holder_kind: 'person' | 'organisation' | null;
  holder_id: string | null;
  email: string | null;
  assurance_level: 1 | 2;
  profile: AccountProfile;
}

async function applicantAccount(db: Database | Knex.Transaction, principal: Principal): Promise<ApplicantAccount> {
  const account = await db('accounts').where({ id: principal.id }).first<ApplicantAccount | undefined>('id', 'display_name', 'holder_kind', 'holder_id', 'email', 'assurance_level', 'profile');
  if (!account || principal.kind !== 'account') throw new QuyTrinhError('forbidden', 'dossier.applicant-account', { vi: 'Chỉ tài khoản công dân, tổ chức mới nộp được hồ sơ', en: 'Only a citizen or organisation account can submit a dossier' });
  return account;
}

/** What the account holds of its holder, for filling forms (Decree 45 Art. 16.4). */
export function holderOf(account: ApplicantAccount): Holder {
  return {
    fullName: account.profile.fullName ?? account.display_name,
    ...(account.holder_kind === 'person' && account.holder_id ? { idNumber: account.holder_id } : {}),
    ...(account.holder_kind === 'organisation' && account.holder_id ? { taxId: account.holder_id } : {}),
    ...(account.email ? { email: account.email } : {}),
    ...(account.profile.phone ? { phone: account.profile.phone } : {}),
    ...(account.profile.dateOfBirth ? { dateOfBirth: account.profile.dateOfBirth } : {}),
    ...(account.profile.address ? { address: account.profile.address } : {}),
  };
}

/** The application form of a procedure, filled from what the applicant's account holds, and the components to attach. */
export async function applicationFormFor(db: Database, principal: Principal, key: string): Promise<{ form: StoredForm; prefill: Prefill; components: Array<ComponentSlot & { stored: StoredOffer[] }>; agencies: Array<{ code: string; name: string }> }> {
  const procedure = await openProcedureOf(db, key);
  await assertServiceOpen(db, procedure);
  const form = await requireForm(db, procedure);
  const account = await applicantAccount(db, principal);
  // What the applicant's e-data store already holds, still valid, is offered instead of an upload (Decree 45 Art. 4.4, 16.4).
  const components = await withStoredOffers(db, account.id, procedure.components);
  return { form, prefill: prefill(parseForm(form.schema), holderOf(account)), components, agencies: await receivingAgencies(db, procedure) };
}

async function requireForm(db: Database | Knex.Transaction, procedure: OpenProcedure, version?: number): Promise<StoredForm> {
  const form = await latestForm(db, procedure.formCode);
  if (!form) {
    throw new QuyTrinhError('conflict', 'form.missing', {
      vi: `Chưa có biểu mẫu ${procedure.formCode} cho thủ tục ${procedure.name}; cán bộ kiểm soát TTHC cần tải biểu mẫu lên`,
      en: `Form ${procedure.formCode} of procedure ${procedure.name} has not been uploaded yet`,
    });
  }
  if (version !== undefined && version !== form.version) {
    throw new QuyTrinhError('conflict', 'form.outdated', {
      vi: `Biểu mẫu ${form.code} đã có phiên bản mới (${form.version}); vui lòng tải lại trang và kê khai theo mẫu mới`,
      en: `Form ${form.code} has a newer version (${form.version}); reload and fill in the new one`,
    }, [{ field: 'body.formVersion', message: `the current version is ${form.version}` }]);
  }
  return form;
}

async function chooseAgency(db: Database | Knex.Transaction, procedure: OpenProcedure, requested: string | undefined): Promise<{ code: string; name: string }> {
  const agencies = await receivingAgencies(db, procedure);
  if (requested !== undefined) {
    const chosen = agencies.find((agency) => agency.code === requested);
    if (chosen) return chosen;
    throw new QuyTrinhError('invalid-input', 'dossier.agency-invalid', {
      vi: `Cơ quan ${requested} không tiếp nhận thủ tục ${procedure.name} (các cơ quan tiếp nhận: ${agencies.map((a) => a.code).join(', ') || 'chưa có'})`,
      en: `Agency ${requested} does not receive procedure ${procedure.name} (receiving agencies: ${agencies.map((a) => a.code).join(', ') || 'none yet'})`,
    }, [{ field: 'body.agencyCode', message: 'not an agency receiving this procedure' }]);
  }
  if (agencies.length === 1) return agencies[0]!;
  if (agencies.length === 0) {
    throw new QuyTrinhError('conflict', 'procedure.no-receiving-agency', {
      vi: `Thủ tục ${procedure.name} chưa được giao cho cơ quan tiếp nhận nào (quản trị viên gán làn tiếp nhận cho cơ quan)`,
      en: `Procedure ${procedure.name} has no receiving agency yet (an administrator maps its receipt lane to an agency)`,
    });
  }
  throw new QuyTrinhError('invalid-input', 'dossier.agency-required', {
    vi: `Hãy chọn cơ quan tiếp nhận: ${agencies.map((a) => `${a.code} (${a.name})`).join(', ')}`,
    en: `Choose the receiving agency: ${agencies.map((a) => `${a.code} (${a.name})`).join(', ')}`,
  }, [{ field: 'body.agencyCode', message: 'required: several agencies receive this procedure' }]);
}

export interface Receipt {
  code: string;
  /** The official time of receipt by the system (Decree 45 Art. 11.1). */
  receivedAt: string;
  /** 08 working hours later on the receiving agency's calendar (Art. 11.4). */
  receiptDueAt: string;
}

/**
 * Submits an application: the automatic technical check (Decree 45 Art. 11.1: the form's fields
 * and formats, the components' types and sizes, nothing missing) and the components' signatures
 * (Art. 11.2.b, component-signatures.ts), then in one transaction the
 * dossier code, the process instance, the dossier with its components, the history and the
 * receipt notice; the applicant's own submission step of the model is completed with it. Any
 * fault refuses the whole application and stores nothing.
 */
export async function submitDossier(db: Database, principal: Principal, body: SubmissionBody, pdfPool?: PdfPool): Promise<{ dossier: DossierRow; receipt: Receipt }> {
  const procedure = await openProcedureOf(db, body.procedureKey);
  await assertServiceOpen(db, procedure);
  const [form, agency, account] = await Promise.all([requireForm(db, procedure, body.formVersion), chooseAgency(db, procedure, body.agencyCode), applicantAccount(db, principal)]);
  const data = validateSubmission(parseForm(form.schema), body.data);
  // Documents given from the store are checked as the files they are (Decree 45 Art. 11.1), and linked to where they came from.
  const given = await resolveStoredComponents(db, account.id, body.components);
  const components = checkComponents(given.uploads, procedure.components, { complete: true }).map((component, index) => ({ ...component, storedFrom: given.storedFrom[index] }));
  const signatures = await verifyComponentSignatures(db, components, pdfPool);
  const calendars = await agencyCalendars(db);

  const dossier = await db.transaction(async (trx) => {
    const now = new Date();
    const receiptDueAt = addWorkingHours(calendars.calendarFor(agency.code), now, RECEIPT_WORKING_HOURS);
    // Variables a model needs come from the dossier (docs/dossiers.md): the agency, the number, the applicant.
    const variables = { ...data, agencyCode: agency.code, dossierSubmittedAt: now.toISOString() };
    const instance = await startProcessInstance(trx, procedure.key, { variables }, { actor: principal.actor, at: now }, { accountId: account.id, assuranceLevel: account.assurance_level });
    if (procedure.submissionTask) await completeApplicantTask(trx, instance.id, procedure.submissionTask.id, data, principal.actor);
    // The number last: it locks the agency's counter for the day until commit, so the steps above
    // do not queue behind one another's (docs/dossiers.md, "Performance").
    const code = await nextApplicationNumber(trx, agency.code, now);
    await trx('process_instances')
      .where({ id: instance.id })
      .update({ business_key: code, variables: trx.raw("variables || jsonb_build_object('applicationNumber', ?::text)", [code]) });
    const [row] = await trx('dossiers')
      .insert({
        instance_id: instance.id,
        definition_id: procedure.definitionId,
        procedure_key: procedure.key,
        procedure_code: procedure.procedureCode,
        procedure_name: procedure.name,
        owner_account_id: account.id,
        applicant_name: account.display_name,
        applicant_id: account.holder_id,
        agency_code: agency.code,
        code,
        status: 'submitted',
        form_code: form.code,
        form_version: form.version,
        data: JSON.stringify(data),
        submitted_at: now,
        receipt_due_at: receiptDueAt,
      })
      .returning<DossierRow[]>('*');
    await storeComponents(trx, row!.id, components, signatures, principal.actor, now);
    await recordDossierEvent(trx, row!.id, 'submitted', principal.actor, { formCode: form.code, formVersion: form.version, components: components.map((c) => c.name), fromStore: fromStore(components) }, now);
    await addNotice(trx, {
      accountId: account.id,
      dossierId: row!.id,
      kind: 'receipt',
      subject: { vi: `Hồ sơ ${code} đã được hệ thống tiếp nhận`, en: `Dossier ${code} was received by the system` },
      body: {
        vi: `Hồ sơ ${procedure.name} đã nộp thành công lúc ${vietnamMoment(now)}. Cơ quan ${agency.name} sẽ tiếp nhận hoặc hướng dẫn bổ sung trước ${vietnamMoment(receiptDueAt)} (08 giờ làm việc, Nghị định 45/2020 Điều 11.4).`,
        en: `Your ${procedure.name} application was submitted at ${vietnamDateTime(now)}. ${agency.name} will receive it or ask for amendments by ${vietnamDateTime(receiptDueAt)} (08 working hours, Decree 45/2020 Art. 11.4).`,
      },
    }, now);
    return row!;
  });
  return { dossier, receipt: { code: dossier.code, receivedAt: dossier.submitted_at.toISOString(), receiptDueAt: dossier.receipt_due_at.toISOString() } };
}

/** The components given from the e-data store, for the history (Decree 45 Art. 16.4). */
const fromStore = (components: ReadonlyArray<{ name: string; storedFrom?: string | undefined }>) => components.filter((c) => c.storedFrom).map((c) => ({ name: c.name, storedDocumentId: c.storedFrom }));

/** Stores the components with their signatures' verification and where a stored one came from, and flags to the desk the signatures it does not trust (component-signatures.ts). */
async function storeComponents(trx: Knex.Transaction, dossierId: string, components: ReadonlyArray<CheckedComponent & { storedFrom?: string | undefined }>, signatures: ReadonlyArray<ComponentSignature | null>, actor: string, at: Date): Promise<void> {
  if (components.length === 0) return;
  await trx('dossier_components').insert(
    components.map((component, index) => ({ dossier_id: dossierId, name: component.name, file_name: component.fileName, media_type: component.mediaType, size: component.size, sha256: component.sha256, content: component.content, uploaded_by: actor, signature: signatures[index] ? JSON.stringify(signatures[index]) : null, stored_from: component.storedFrom ?? null })),
  );
  const flag = signatureFlag(components, signatures);
  if (flag) await recordDossierEvent(trx, dossierId, 'signature-flagged', 'system', flag, at);
}

/** Completes the applicant's open task at `elementId` in the caller's transaction (their submission or amendment step). */
async function completeApplicantTask(trx: Knex.Transaction, instanceId: string, elementId: string, variables: Record<string, unknown>, actor: string): Promise<void> {
  const task = await trx<UserTaskRow>('user_tasks').where({ instance_id: instanceId, element_id: elementId, status: 'open' }).first('id', 'multi_index');
  if (!task) return; // the model went another way (e.g. an inter-connected dossier)
  await applyInstanceEvent(
    trx,
    instanceId,
    async (inner) => {
      await inner('user_tasks').where({ id: task.id }).update({ status: 'completed', ended_at: new Date(), completed_by: actor });
      return { type: 'task.complete', elementId, index: task.multi_index ?? undefined, variables };
    },
    { eventId: completionEventId(task.id), actor },
  );
}

/**
 * The applicant answers the one amendment request (Decree 45 Art. 12): the form again (checked
 * as at submission) and the components to supplement, which supersede those of the same name;
 * a component may be given from the applicant's e-data store, checked as at submission.
 * The dossier keeps its code (Art. 12.2.c); what changed is recorded.
 */
export async function amendDossier(db: Database, principal: Principal, dossier: DossierRow, body: AmendmentBody, slots: { amendmentTask: string | undefined; components: ComponentSlot[] }, pdfPool?: PdfPool): Promise<DossierRow> {
  const task = slots.amendmentTask === undefined ? undefined : await db<UserTaskRow>('user_tasks').where({ instance_id: dossier.instance_id, element_id: slots.amendmentTask, status: 'open' }).first('id', 'multi_index');
  if (dossier.status !== 'amendment-requested' || !task) {
    throw new QuyTrinhError('conflict', 'dossier.no-amendment-requested', {
      vi: `Hồ sơ ${dossier.code} không có yêu cầu bổ sung đang chờ`,
      en: `Dossier ${dossier.code} has no amendment request waiting`,
    });
  }
  const form = dossier.form_code && dossier.form_version ? await formVersion(db, dossier.form_code, dossier.form_version) : undefined;
  const data = form ? validateSubmission(parseForm(form.schema), body.data) : {};
  const given = await resolveStoredComponents(db, dossier.owner_account_id, body.components);
  const components = checkComponents(given.uploads, slots.components, { complete: false }).map((component, index) => ({ ...component, storedFrom: given.storedFrom[index] }));
  const signatures = await verifyComponentSignatures(db, components, pdfPool);
  const changed = Object.keys({ ...dossier.data, ...data }).filter((key) => JSON.stringify(dossier.data[key]) !== JSON.stringify(data[key]));
  let amended: DossierRow | undefined;
  await applyInstanceEvent(
    db,
    dossier.instance_id,
    async (trx) => {
      const now = new Date();
      await trx('user_tasks').where({ id: task.id }).update({ status: 'completed', ended_at: now, completed_by: principal.actor });
      if (components.length > 0) {
        await trx('dossier_components').where({ dossier_id: dossier.id }).whereIn('name', components.map((c) => c.name)).whereNull('superseded_at').update({ superseded_at: now });
        await storeComponents(trx, dossier.id, components, signatures, principal.actor, now);
      }
      [amended] = await trx('dossiers').where({ id: dossier.id }).update({ data: JSON.stringify(data), status: 'submitted', amended_at: now }).returning<DossierRow[]>('*');
      await recordDossierEvent(trx, dossier.id, 'amended', principal.actor, { changedFields: changed, components: components.map((c) => c.name), fromStore: fromStore(components) }, now);
      return { type: 'task.complete', elementId: slots.amendmentTask!, index: task.multi_index ?? undefined, variables: data };
    },
    { eventId: completionEventId(task.id), actor: principal.actor },
  );
  return amended!;
}

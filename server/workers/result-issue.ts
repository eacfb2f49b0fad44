import type { Knex } from 'knex';
import { makeResultCode } from '../../engine/codes/application-number.ts';
import { compiledDefinition } from '../execution/definitions.ts';
import { addDossierEvent, dossierStep, instanceChain, workerActor, type DossierRow } from './dossier-records.ts';
import type { JobContext } from './job-context.ts';
import { addNotice } from '../dossiers/notices.ts';
import { configuredLookupBase, signResultDocument } from '../dossiers/printing.ts';
import { officialSigner, type CredentialHolder } from '../signatures/credentials.ts';
import { sharedPdfPool } from './pdf-pool.ts';
import type { DossierRow as FullDossierRow } from '../dossiers/records.ts';
import type { ResultRow } from '../dossiers/results.ts';

const JOB_TYPE = 'result.sign';

/**
 * `result.sign`: issues the dossier's next result, `<dossier code>-KQ<n>` with n counted from 1
 * per dossier in the order issued (Decree 45 Art. 14.3.d; an annulled result keeps its number),
 * tells the applicant in their electronic data store, the portal's inbox (Art. 14.1), and marks
 * the dossier `result-issued`. A called process of an inter-connected group issues its result
 * on the group's dossier, titled with its own procedure (see resultTitle). The dossier row is
 * locked to count, so two steps issuing at once take consecutive numbers. The result is printed
 * and signed here, once, with the competent authority's digital signature (Art. 14.3.b) dated the
 * issue, in the PDF pool's threads, and stored with it (server/dossiers/printing.ts,
 * docs/signatures.md): downloads serve those bytes. When an official of the dossier's agency
 * completed the approval step (`qt:dossierStep="approval"`, see approverOf), they sign it first
 * with their personal certificate and the agency's signature seals it. A signature that cannot be made (keys locked,
 * pool busy) fails the job, which is retried, so no result is issued unsigned. An instance with no
 * dossier has no code to number from: nothing is issued.
 */
export async function issueResult(context: JobContext): Promise<Record<string, unknown>> {
  const found = await dossierStep(context, { lock: true });
  if (!found) return {};
  const { dossier } = found;
  const { trx, elementId, instanceId, now } = context;
  const [counted] = await trx('dossier_results').where({ dossier_id: dossier.id }).max<Array<{ last: number | null }>>('n as last');
  const n = (counted?.last ?? 0) + 1;
  const resultCode = makeResultCode(dossier.code, n);
  const title = await resultTitle(trx, instanceId, dossier);
  const [result] = await trx<ResultRow>('dossier_results').insert({ dossier_id: dossier.id, n, code: resultCode, title, issued_at: now, issued_by: workerActor(JOB_TYPE) }).returning('*');
  const full = await trx<FullDossierRow>('dossiers').where({ id: dossier.id }).first();
  const approver = await approverOf(trx, instanceId, full!.agency_code);
  await signResultDocument(trx, full!, result!, configuredLookupBase(), now, sharedPdfPool(), approver ?? undefined);
  await trx('dossiers').where({ id: dossier.id }).update({ status: 'result-issued' });
  await addDossierEvent(trx, dossier.id, JOB_TYPE, 'result-issued', { elementId, resultCode, n, title, text: { vi: `Đã cấp kết quả ${resultCode}: ${title}`, en: `Result ${resultCode} issued: ${title}` } }, now);
  await addNotice(trx, {
    accountId: dossier.owner_account_id,
    dossierId: dossier.id,
    kind: 'result',
    subject: { vi: `Hồ sơ ${dossier.code}: đã có kết quả ${resultCode}`, en: `Application ${dossier.code}: result ${resultCode} issued` },
    body: {
      vi: `Kết quả ${resultCode} (${title}) của hồ sơ ${dossier.code} đã được cấp và lưu vào kho dữ liệu của bạn trên Cổng dịch vụ công. Tra cứu: /tra-cuu/${resultCode}`,
      en: `Result ${resultCode} (${title}) of application ${dossier.code} has been issued and stored in your data store on the public service portal. Look it up: /tra-cuu/${resultCode}`,
    },
  }, now);
  return { resultCode };
}

/**
 * What a result is titled: the dossier's procedure; for a called procedure of an inter-connected
 * group, the name its caller's call activity gives it ("Đăng ký khai sinh"), else the called
 * model's own name. A run of a multi-instance sub-process belongs to the procedure it runs in.
 */
async function resultTitle(trx: Knex.Transaction, instanceId: string, dossier: DossierRow): Promise<string> {
  const chain = await instanceChain(trx, instanceId);
  for (const [index, link] of chain.entries()) {
    if (link.id === dossier.instance_id) break;
    const caller = chain[index + 1];
    if (link.scope_element_id !== null || !caller || link.parent_element_id === null) continue;
    const callName = (await compiledDefinition(caller.definition_id, trx)).graph.nodes.get(link.parent_element_id)?.name;
    return callName ?? (await compiledDefinition(link.definition_id, trx)).graph.name ?? dossier.procedure_name;
  }
  return dossier.procedure_name;
}

/**
 * Who approved the result (Decree 45 Art. 14.3.b: the competent person signs it): the official
 * who completed the latest approval task (`qt:dossierStep="approval"`) of the step's instance, or
 * else of its callers up to the dossier's root (a called procedure of an inter-connected group is
 * approved in its own process) — when they are an enabled official of the signing agency. Null
 * when no such task was completed by such an official: the agency then signs alone.
 */
async function approverOf(trx: Knex.Transaction, instanceId: string, agencyCode: string): Promise<CredentialHolder | null> {
  for (const link of await instanceChain(trx, instanceId)) {
    const { graph } = await compiledDefinition(link.definition_id, trx);
    const approvals = [...graph.nodes.values()].filter((node) => node.qt.dossierStep === 'approval').map((node) => node.id);
    if (approvals.length === 0) continue;
    const task = await trx('user_tasks').where({ instance_id: link.id, status: 'completed' }).whereIn('element_id', approvals).orderBy('ended_at', 'desc').first<{ completed_by: string | null } | undefined>('completed_by');
    if (task) return officialSigner(trx, task.completed_by, agencyCode);
  }
  return null;
}

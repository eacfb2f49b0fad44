import type { Knex } from 'knex';
import { compiledDefinition } from '../execution/definitions.ts';
import type { JobContext } from './handlers.ts';

/** What the built-in workers read of a dossier (migration 0016_dossiers). */
export interface DossierRow {
  id: string;
  instance_id: string;
  procedure_name: string;
  owner_account_id: string;
  applicant_name: string;
  applicant_id: string | null;
  agency_code: string;
  code: string;
  status: string;
  data: Record<string, unknown>;
}

/**
 * The dossier an instance works for: the one bound to the instance itself or, for a called
 * process of an inter-connected group (or a run of a multi-instance sub-process), to its root
 * caller, found up the `parent_instance_id` chain (server/execution/calls.ts). `lock` takes the
 * dossier row for update, after the instance lock the step already holds (always in that order).
 * An instance started over the raw API, with no dossier, has none: undefined.
 */
export async function dossierOfInstance(trx: Knex.Transaction, instanceId: string, options: { lock?: boolean } = {}): Promise<DossierRow | undefined> {
  const { rows } = await trx.raw<{ rows: Array<{ id: string }> }>(
    `with recursive chain (id, parent_id, depth) as (
       select id, parent_instance_id, 0 from process_instances where id = ?
       union all
       select p.id, p.parent_instance_id, chain.depth + 1 from process_instances p join chain on p.id = chain.parent_id
     )
     select d.id from dossiers d join chain on d.instance_id = chain.id order by chain.depth desc limit 1`,
    [instanceId],
  );
  const found = rows[0];
  if (!found) return undefined;
  const query = trx<DossierRow>('dossiers').where({ id: found.id });
  return options.lock ? query.forUpdate().first() : query.first();
}

/** The names a step's records are written with: the element's and its process's (a called process's own, not the caller's). */
export async function stepNames(trx: Knex.Transaction, instanceId: string, elementId: string): Promise<{ step: string; process: string | undefined }> {
  const instance = await trx('process_instances').where({ id: instanceId }).first<{ definition_id: string }>('definition_id');
  const { graph } = await compiledDefinition(instance.definition_id, trx);
  return { step: graph.nodes.get(elementId)?.name ?? elementId, process: graph.name };
}

/** Text in both languages, as notices and events carry it. */
export interface Bilingual {
  vi: string;
  en: string;
}

/** One line of the dossier's history (`dossier_events`), written by the worker of `jobType`. */
export async function addDossierEvent(trx: Knex.Transaction, dossierId: string, jobType: string, kind: string, details: Record<string, unknown> & { text: Bilingual }, at: Date): Promise<void> {
  await trx('dossier_events').insert({ dossier_id: dossierId, at, actor: workerActor(jobType), kind, details: JSON.stringify(details) });
}

/** Who a built-in worker's records name: the product's worker for that job type. */
export const workerActor = (jobType: string) => `worker:${jobType}`;

/** The context of a step on a dossier: the dossier (undefined: none) and the names of the step. */
export async function dossierStep(context: JobContext, options: { lock?: boolean } = {}): Promise<{ dossier: DossierRow; names: { step: string; process: string | undefined } } | undefined> {
  const dossier = await dossierOfInstance(context.trx, context.instanceId, options);
  if (!dossier) return undefined;
  return { dossier, names: await stepNames(context.trx, context.instanceId, context.elementId) };
}

/** The dossier's results in force (not annulled, Decree 45 Art. 15), in the order issued. */
export async function resultsInForce(trx: Knex.Transaction, dossierId: string): Promise<Array<{ code: string; title: string }>> {
  return trx('dossier_results').where({ dossier_id: dossierId }).whereNull('annulled_at').orderBy('n').select('code', 'title');
}

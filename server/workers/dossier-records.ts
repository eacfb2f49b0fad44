import type { Knex } from 'knex';
import { compiledDefinition } from '../execution/definitions.ts';
import type { Bilingual } from '../../engine/errors.ts';
import type { DossierRow as FullDossierRow } from '../dossiers/records.ts';
import type { JobContext } from './job-context.ts';

/** What the built-in workers read of a dossier (server/dossiers/records.ts). */
export type DossierRow = Pick<FullDossierRow, 'id' | 'instance_id' | 'definition_id' | 'procedure_name' | 'owner_account_id' | 'applicant_name' | 'applicant_id' | 'code'>;

/** One instance on the way from a step's instance up to its root caller. */
export interface ChainLink {
  id: string;
  parent_instance_id: string | null;
  /** The call activity (or multi-instance sub-process) of the caller that started it. */
  parent_element_id: string | null;
  /** Set for a run of a parallel multi-instance sub-process (it runs on its caller's definition). */
  scope_element_id: string | null;
  definition_id: string;
}

/** The instance and its callers up to the root, the instance first (`parent_instance_id`, server/execution/calls.ts). */
export async function instanceChain(trx: Knex.Transaction, instanceId: string): Promise<ChainLink[]> {
  const { rows } = await trx.raw<{ rows: ChainLink[] }>(
    `with recursive chain as (
       select id, parent_instance_id, parent_element_id, scope_element_id, definition_id, 0 as depth from process_instances where id = ?
       union all
       select p.id, p.parent_instance_id, p.parent_element_id, p.scope_element_id, p.definition_id, chain.depth + 1
         from process_instances p join chain on p.id = chain.parent_instance_id
     )
     select id, parent_instance_id, parent_element_id, scope_element_id, definition_id from chain order by depth`,
    [instanceId],
  );
  return rows;
}

/**
 * The dossier an instance works for: the one bound to the instance itself or, for a called
 * process of an inter-connected group (or a run of a multi-instance sub-process), to its root
 * caller. `lock` takes the dossier row for update, after the instance lock the step already
 * holds (always in that order). An instance started over the raw API, with no dossier, has
 * none: undefined.
 */
export async function dossierOfInstance(trx: Knex.Transaction, instanceId: string, options: { lock?: boolean } = {}): Promise<DossierRow | undefined> {
  const chain = await instanceChain(trx, instanceId);
  const query = trx<DossierRow>('dossiers').whereIn('instance_id', chain.map((link) => link.id)).orderByRaw('array_position(?::uuid[], instance_id) desc', [chain.map((link) => link.id)]);
  return options.lock ? query.forUpdate().first() : query.first();
}

/** The name a step's records are written with: the element's, or its id when it has none. */
export async function stepName(trx: Knex.Transaction, instanceId: string, elementId: string): Promise<string> {
  const instance = await trx('process_instances').where({ id: instanceId }).first<{ definition_id: string }>('definition_id');
  const { graph } = await compiledDefinition(instance.definition_id, trx);
  return graph.nodes.get(elementId)?.name ?? elementId;
}


/** One line of the dossier's history (`dossier_events`), written by the worker of `jobType`. */
export async function addDossierEvent(trx: Knex.Transaction, dossierId: string, jobType: string, kind: string, details: Record<string, unknown> & { text: Bilingual }, at: Date): Promise<void> {
  await trx('dossier_events').insert({ dossier_id: dossierId, at, actor: workerActor(jobType), kind, details: JSON.stringify(details) });
}

/** Who a built-in worker's records name: the product's worker for that job type. */
export const workerActor = (jobType: string) => `worker:${jobType}`;

/** The context of a step on a dossier: the dossier (undefined: none) and the step's name. */
export async function dossierStep(context: JobContext, options: { lock?: boolean } = {}): Promise<{ dossier: DossierRow; step: string } | undefined> {
  const dossier = await dossierOfInstance(context.trx, context.instanceId, options);
  if (!dossier) return undefined;
  return { dossier, step: await stepName(context.trx, context.instanceId, context.elementId) };
}

/** The dossier's results in force (not annulled, Decree 45 Art. 15), in the order issued. */
export async function resultsInForce(trx: Knex.Transaction, dossierId: string): Promise<Array<{ code: string; title: string }>> {
  return trx('dossier_results').where({ dossier_id: dossierId }).whereNull('annulled_at').orderBy('n').select('code', 'title');
}

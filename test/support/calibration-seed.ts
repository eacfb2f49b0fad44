import type { ExecutedInstance } from '../../engine/calibration/measure.ts';
import type { Database } from '../../server/db/connect.ts';
import { AGENCY_X, createPerson, createTwoAgencies } from './identities.ts';

/**
 * Stores fixture histories (test/support/calibration-history.ts) as the engine would have written
 * them: one ended instance of the deployed definition per history, its `instance_history` rows,
 * and its dossier with the code the history names.
 */
export async function seedExecutedHistories(db: Database, definitionId: string, histories: readonly ExecutedInstance[]): Promise<Map<string, string>> {
  await createTwoAgencies(db);
  const owner = await createPerson(db, `cong-dan-${Math.random().toString(36).slice(2, 8)}`, ['citizen']);
  const ids = new Map<string, string>();
  for (const history of histories) {
    const first = history.steps[0]!.at;
    const last = history.steps.at(-1)!;
    const stopped = last.eventType === 'terminate';
    const [row] = await db('process_instances')
      .insert({ definition_id: definitionId, status: stopped ? 'terminated' : 'completed', snapshot: '{}', active_element_ids: [], started_at: first, ended_at: last.at })
      .returning<Array<{ id: string }>>('id');
    ids.set(history.instanceId, row!.id);
    await db('instance_history').insert(
      history.steps.map((step, index) => ({
        instance_id: row!.id,
        event_id: index === 0 ? 'start' : `${history.instanceId}-${index}`,
        event_type: step.eventType,
        element_id: step.elementId,
        actor: step.actor,
        at: step.at,
        status_after: index === history.steps.length - 1 ? (stopped ? 'terminated' : 'completed') : 'active',
        active_after: step.activeAfter,
      })),
    );
    if (history.dossierCode) {
      await db('dossiers').insert({
        instance_id: row!.id,
        definition_id: definitionId,
        procedure_key: 'Process_dang_ky_khai_sinh',
        procedure_name: 'Đăng ký khai sinh',
        owner_account_id: owner,
        applicant_name: 'Nguyễn Văn A',
        agency_code: AGENCY_X.code,
        code: history.dossierCode,
        status: 'completed',
        submitted_at: first,
        receipt_due_at: first,
        ended_at: last.at,
      });
    }
  }
  return ids;
}

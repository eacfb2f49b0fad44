import type { Knex } from 'knex';
import type { Database } from '../db/connect.ts';
import { hasRole, type Principal } from '../identity/roles.ts';

/**
 * Resource scopes: after the role check, whether this caller may touch this particular dossier,
 * task or job. A caller who may not is told the resource does not exist (404), so nobody learns
 * that another person's dossier exists (Circular 01 Art. 23.5).
 */
export type ScopeName = 'instance' | 'caller-instance' | 'task' | 'job';

export interface ScopeRequest {
  params: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
}

/** The candidate groups (lane names) whose tasks an official is offered: the lanes mapped to one of their agencies and functions, and the agencies' own codes and names. */
export async function officialLanes(db: Database, principal: Principal): Promise<string[]> {
  if (principal.memberships.length === 0) return [];
  const codes = [...new Set(principal.memberships.map((membership) => membership.agencyCode))];
  const lanes = await db('agency_lanes')
    .where((query) => {
      for (const membership of principal.memberships) {
        void query.orWhere((one) => {
          void one.where('agency_code', membership.agencyCode);
          // A token for the whole agency (function null) holds every function of it.
          const held = membership.function;
          if (held !== null) {
            void one.where((fn) => {
              void fn.whereNull('function').orWhere('function', held);
            });
          }
        });
      }
    })
    .select<Array<{ lane: string }>>('lane');
  const agencies = await db('agencies').whereIn('code', codes).select<Array<{ code: string; name: string }>>('code', 'name');
  return [...new Set([...lanes.map((row) => row.lane), ...agencies.flatMap((agency) => [agency.code, agency.name])])];
}

/** Admin and staff see every dossier; the owner sees theirs; an official sees those their agencies have (or had) a task in. */
export async function mayReadInstance(db: Database, principal: Principal, instanceId: string): Promise<boolean> {
  if (hasRole(principal, 'admin', 'staff')) return true;
  const instance = await db('process_instances').where({ id: instanceId }).first<{ owner_account_id: string | null; parent_instance_id: string | null } | undefined>('owner_account_id', 'parent_instance_id');
  if (!instance) return false;
  if (principal.kind === 'account' && hasRole(principal, 'citizen') && instance.owner_account_id === principal.id) return true;
  if (hasRole(principal, 'official')) {
    const lanes = await officialLanes(db, principal);
    if (lanes.length === 0) return false;
    const task = await db('user_tasks').where({ instance_id: instanceId }).whereIn('candidate_group', lanes).first<{ id: string } | undefined>('id');
    return task !== undefined;
  }
  return false;
}

/**
 * Narrows a list of instances (`i` = process_instances) to the caller's: everything for admin
 * and staff, their own dossiers for a citizen, their agencies' for an official.
 */
export async function restrictInstanceList(db: Database, principal: Principal, instances: Knex.QueryBuilder): Promise<void> {
  if (hasRole(principal, 'admin', 'staff')) return;
  const lanes = hasRole(principal, 'official') ? await officialLanes(db, principal) : [];
  const own = principal.kind === 'account' && hasRole(principal, 'citizen') ? principal.id : undefined;
  void instances.where((visible) => {
    void visible.whereRaw('false');
    if (own) void visible.orWhere('i.owner_account_id', own);
    if (lanes.length > 0) void visible.orWhereExists(db('user_tasks as t').whereRaw('t.instance_id = i.id').whereIn('t.candidate_group', lanes));
  });
}

export async function mayCompleteTask(db: Database, principal: Principal, taskId: string): Promise<boolean> {
  if (hasRole(principal, 'admin')) return true;
  if (!hasRole(principal, 'official')) return false;
  const task = await db('user_tasks').where({ id: taskId }).first<{ candidate_group: string | null } | undefined>('candidate_group');
  if (!task?.candidate_group) return false;
  return (await officialLanes(db, principal)).includes(task.candidate_group);
}

export async function mayWorkJob(db: Database, principal: Principal, jobId: string): Promise<boolean> {
  if (hasRole(principal, 'admin')) return true;
  if (principal.jobTypes === null) return true;
  const job = await db('service_jobs').where({ id: jobId }).first<{ job_type: string } | undefined>('job_type');
  return job !== undefined && principal.jobTypes.includes(job.job_type);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs a route's scope check. An id that is not a UUID passes here, so the route's own validation
 * answers it with a 400 naming the field.
 */
export async function inScope(db: Database, principal: Principal, scope: ScopeName, request: ScopeRequest): Promise<boolean> {
  const id = scope === 'caller-instance' ? request.query.callerInstanceId : request.params.id;
  if (typeof id !== 'string' || !UUID.test(id)) return true;
  switch (scope) {
    case 'instance':
    case 'caller-instance':
      return mayReadInstance(db, principal, id);
    case 'task':
      return mayCompleteTask(db, principal, id);
    case 'job':
      return mayWorkJob(db, principal, id);
  }
}

import type { Knex } from 'knex';
import type { Database } from '../db/connect.ts';
import { hasRole, type Principal } from '../identity/roles.ts';

/**
 * Resource scopes: after the role check, whether this caller may touch this particular dossier,
 * task or job. A caller who may not is told the resource does not exist (404), so nobody learns
 * that another person's dossier exists (Circular 01 Art. 23.5).
 */
export type ScopeName = 'instance' | 'caller-instance' | 'task' | 'job' | 'dossier' | 'result';

export interface ScopeRequest {
  params: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
}

/**
 * Lanes read for a principal object, kept as long as it is: a token's principal is the cached one
 * for TOKEN_CACHE_MS (tokens.ts), so a busy machine client costs two lane queries per cache
 * period instead of per request, and a change of lanes or a revocation reaches it within that
 * period as it does the token itself (mapLane and revokeToken clear that cache in this process at
 * once). A session's principal is built for each request, so it is read per request as before.
 */
const lanesOf = new WeakMap<Principal, Promise<string[]>>();

/** The candidate groups (lane names) whose tasks an official is offered: the lanes mapped to one of their agencies and functions, and the agencies' own codes and names. */
export function officialLanes(db: Database, principal: Principal): Promise<string[]> {
  let lanes = lanesOf.get(principal);
  if (!lanes) {
    lanes = readOfficialLanes(db, principal);
    lanesOf.set(principal, lanes);
    // A failed read is not kept: the next request tries again.
    void lanes.catch(() => lanesOf.delete(principal));
  }
  return lanes;
}

async function readOfficialLanes(db: Database, principal: Principal): Promise<string[]> {
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
  const instance = await db('process_instances').where({ id: instanceId }).first<{ owner_account_id: string | null } | undefined>('owner_account_id');
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

/**
 * A dossier (issue 11): admin and staff see every one; the applicant theirs; an official those
 * their agencies receive or have (or had) a step of (Circular 01 Art. 23.5, 24.3).
 */
export async function mayReadDossier(db: Database, principal: Principal, dossierId: string): Promise<boolean> {
  if (hasRole(principal, 'admin', 'staff')) return true;
  const dossier = await db('dossiers').where({ id: dossierId }).first<{ owner_account_id: string; agency_code: string; instance_id: string } | undefined>('owner_account_id', 'agency_code', 'instance_id');
  if (!dossier) return false;
  if (principal.kind === 'account' && hasRole(principal, 'citizen') && dossier.owner_account_id === principal.id) return true;
  if (!hasRole(principal, 'official')) return false;
  if (principal.memberships.some((membership) => membership.agencyCode === dossier.agency_code)) return true;
  return mayReadInstance(db, principal, dossier.instance_id);
}

/** A result is read with its dossier. */
async function mayReadResult(db: Database, principal: Principal, code: string): Promise<boolean> {
  const result = await db('dossier_results').where({ code }).first<{ dossier_id: string } | undefined>('dossier_id');
  return result !== undefined && mayReadDossier(db, principal, result.dossier_id);
}

/**
 * Narrows a list of dossiers (`d` = dossiers) to the caller's: everything for admin and staff,
 * their own for a citizen, their agencies' for an official.
 */
export function restrictDossierList(principal: Principal, dossiers: Knex.QueryBuilder): void {
  if (hasRole(principal, 'admin', 'staff')) return;
  const own = principal.kind === 'account' && hasRole(principal, 'citizen') ? principal.id : undefined;
  const agencies = hasRole(principal, 'official') ? [...new Set(principal.memberships.map((m) => m.agencyCode))] : [];
  void dossiers.where((visible) => {
    void visible.whereRaw('false');
    if (own) void visible.orWhere('d.owner_account_id', own);
    if (agencies.length > 0) void visible.orWhereIn('d.agency_code', agencies);
  });
}

export async function mayCompleteTask(db: Database, principal: Principal, taskId: string): Promise<boolean> {
  if (hasRole(principal, 'admin')) return true;
  if (!hasRole(principal, 'official')) return false;
  const [group, lanes] = await Promise.all([candidateGroupLookup(db).of(taskId), officialLanes(db, principal)]);
  return group !== null && lanes.includes(group);
}

/**
 * The candidate groups of the tasks whose completion is being authorised, read together: the
 * checks that arrive while one read runs share the next, so a busy inbox pays one round trip per
 * batch of completions rather than one per completion, and a lone check waits for nothing (like
 * the completions themselves, execution/completion-batcher.ts). A task's candidate group is set
 * when the task opens and never changes, so reading it a moment earlier decides the same.
 */
class CandidateGroupLookup {
  private waiting = new Map<string, Array<{ resolve: (group: string | null) => void; reject: (error: unknown) => void }>>();
  private reading = false;

  constructor(private readonly db: Database) {}

  /** The task's candidate group; null when it has none or there is no such task. */
  of(taskId: string): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const callers = this.waiting.get(taskId);
      if (callers) callers.push({ resolve, reject });
      else this.waiting.set(taskId, [{ resolve, reject }]);
      if (!this.reading) void this.read();
    });
  }

  private async read(): Promise<void> {
    this.reading = true;
    try {
      while (this.waiting.size > 0) {
        const batch = this.waiting;
        this.waiting = new Map();
        try {
          const { rows } = await this.db.raw<{ rows: Array<{ id: string; candidate_group: string | null }> }>('select id, candidate_group from user_tasks where id = any(?::uuid[])', [[...batch.keys()]]);
          const groups = new Map(rows.map((row) => [row.id, row.candidate_group]));
          for (const [id, callers] of batch) for (const caller of callers) caller.resolve(groups.get(id) ?? null);
        } catch (error) {
          for (const callers of batch.values()) for (const caller of callers) caller.reject(error);
        }
      }
    } finally {
      this.reading = false;
    }
  }
}

const candidateGroupLookups = new WeakMap<Database, CandidateGroupLookup>();

function candidateGroupLookup(db: Database): CandidateGroupLookup {
  let lookup = candidateGroupLookups.get(db);
  if (!lookup) {
    lookup = new CandidateGroupLookup(db);
    candidateGroupLookups.set(db, lookup);
  }
  return lookup;
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
  if (scope === 'result') {
    const code = request.params.code;
    return typeof code !== 'string' || mayReadResult(db, principal, code);
  }
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
    case 'dossier':
      return mayReadDossier(db, principal, id);
  }
}

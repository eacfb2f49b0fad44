import { z } from 'zod';
import type { Database } from '../db/connect.ts';
import { DOSSIER_STATUSES } from '../dossiers/records.ts';
import { keyString, safeString } from '../http/input-limits.ts';
import { pageOf, pageQuery, type Keyset, type Page } from '../http/pagination.ts';
import { restrictToScope, type MonitoringScope } from './access.ts';

/**
 * The monitoring search (issue 14, docs/monitoring.md): any dossier or process instance by dossier
 * code, business key, applicant (ID number, or any part of the name), procedure, agency, status and
 * date range, newest first, paged by keyset over the indexes of migration 0027.
 *
 * Two orders, chosen by the filters: when a filter only a dossier has is given (code, applicant,
 * agency, dossier status), or the caller sees only their agencies' dossiers, the search runs over
 * dossiers in the order the system received them (Decree 45 Art. 11.1: `submitted_at`); otherwise
 * over every instance, dossier or not, in the order they started. Each filter's equality is the
 * head of an index in that order, so a page is one range scan; the dates bound the same column.
 */
const isoDate = z.iso.date('a date as YYYY-MM-DD');
export const INSTANCE_STATUSES = ['active', 'completed', 'terminated', 'failed'] as const;

export const searchQuery = pageQuery
  .extend({
    /** A dossier code, exactly (`<agency>-<yymmdd>-<nnnn>`, Decree 45 Art. 11.3). */
    code: safeString(200).trim().min(1).optional(),
    businessKey: safeString(200).trim().min(1).optional(),
    /** The applicant's ID number (exactly), or any part of their name (case-insensitive). */
    applicant: safeString(200).trim().min(2, 'at least 2 characters').optional(),
    /** The procedure: a deployed definition's key (the BPMN process id). */
    procedure: keyString.optional(),
    agency: safeString(200).trim().min(1).optional(),
    status: z.enum(DOSSIER_STATUSES, { error: `one of ${DOSSIER_STATUSES.join(', ')}` }).optional(),
    instanceStatus: z.enum(INSTANCE_STATUSES, { error: `one of ${INSTANCE_STATUSES.join(', ')}` }).optional(),
    /** Received (a dossier) or started (an instance) on or after this day, Vietnam time (UTC+7). */
    from: isoDate.optional(),
    /** ... on or before this day. */
    to: isoDate.optional(),
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, { path: ['to'], message: 'before `from`' });
export type SearchQuery = z.output<typeof searchQuery>;

const dossierOrder: Keyset = {
  name: 'monitoring.dossiers',
  keys: [
    { sql: 'd.submitted_at', kind: 'timestamp', descending: true },
    { sql: 'd.id', kind: 'uuid', descending: true },
  ],
};
const instanceOrder: Keyset = {
  name: 'monitoring.instances',
  keys: [
    { sql: 'i.started_at', kind: 'timestamp', descending: true },
    { sql: 'i.id', kind: 'uuid', descending: true },
  ],
};

/** Vietnam keeps UTC+7 all year: a day there starts at 17:00 UTC the day before. */
const dayStart = (day: string) => `${day}T00:00:00+07:00`;
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export interface SearchItem {
  instanceId: string;
  procedure: { key: string; version: number; name: string | null };
  businessKey: string | null;
  instanceStatus: string;
  activeElementIds: string[];
  /** The names of its open user tasks. */
  openSteps: string[];
  startedAt: Date;
  endedAt: Date | null;
  /** Unresolved incidents of the instance. */
  incidents: number;
  dossier: { id: string; code: string; status: string; applicantName: string; applicantId: string | null; agencyCode: string; submittedAt: Date } | null;
}

interface SearchRow {
  instance_id: string;
  key: string;
  version: number;
  definition_name: string | null;
  business_key: string | null;
  instance_status: string;
  active_element_ids: string[];
  open_steps: string[];
  started_at: Date;
  ended_at: Date | null;
  incidents: number;
  dossier_id: string | null;
  code: string | null;
  dossier_status: string | null;
  applicant_name: string | null;
  applicant_id: string | null;
  agency_code: string | null;
  submitted_at: Date | null;
}

const ID_NUMBER = /^[0-9-]{9,14}$/;
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function searchPage(db: Database, scope: MonitoringScope, query: SearchQuery): Promise<Page<SearchItem>> {
  const { limit, cursor, ...filter } = query;
  const overDossiers = !scope.all || filter.code !== undefined || filter.applicant !== undefined || filter.agency !== undefined || filter.status !== undefined;
  const rows = overDossiers
    ? db('dossiers as d').join('process_instances as i', 'i.id', 'd.instance_id')
    : db('process_instances as i').leftJoin('dossiers as d', 'd.instance_id', 'i.id');
  void rows.join('process_definitions as pd', 'pd.id', 'i.definition_id').select(
    'i.id as instance_id', 'pd.key', 'pd.version', 'pd.name as definition_name', 'i.business_key', 'i.status as instance_status', 'i.active_element_ids', 'i.started_at', 'i.ended_at',
    db.raw('(select count(*) from incidents x where x.instance_id = i.id and x.resolved_at is null)::int as incidents'),
    // The names of the steps waiting on people, as the model names them (the active elements are ids).
    db.raw(`(select coalesce(array_agg(distinct t.name), '{}') from user_tasks t where t.instance_id = i.id and t.status = 'open' and t.name is not null) as open_steps`),
    'd.id as dossier_id', 'd.code', 'd.status as dossier_status', 'd.applicant_name', 'd.applicant_id', 'd.agency_code', 'd.submitted_at',
  );
  restrictToScope(scope, rows);
  const time = overDossiers ? 'd.submitted_at' : 'i.started_at';
  if (filter.from) void rows.where(time, '>=', dayStart(filter.from));
  if (filter.to) void rows.where(time, '<', dayStart(dayAfter(filter.to)));
  if (filter.code) void rows.where('d.code', filter.code);
  // An ID number (CCCD 12 digits, CMND 9, a tax code 10 or 13) is looked up exactly; anything else is part of a name.
  if (filter.applicant) {
    if (ID_NUMBER.test(filter.applicant)) void rows.where('d.applicant_id', filter.applicant);
    else void rows.whereILike('d.applicant_name', `%${escapeLike(filter.applicant)}%`);
  }
  if (filter.agency) void rows.where('d.agency_code', filter.agency);
  if (filter.status) void rows.where('d.status', filter.status);
  if (filter.businessKey) void rows.where('i.business_key', filter.businessKey);
  if (filter.instanceStatus) void rows.where('i.status', filter.instanceStatus);
  if (filter.procedure) {
    // Over dossiers the procedure is a column of the dossier (its own index); over instances, the deployed versions of the key.
    if (overDossiers) void rows.where('d.procedure_key', filter.procedure);
    else void rows.whereIn('i.definition_id', db('process_definitions').select('id').where('key', filter.procedure));
  }
  return pageOf(db, rows, overDossiers ? dossierOrder : instanceOrder, { limit, cursor }, (row: SearchRow): SearchItem => ({
    instanceId: row.instance_id,
    procedure: { key: row.key, version: row.version, name: row.definition_name },
    businessKey: row.business_key,
    instanceStatus: row.instance_status,
    activeElementIds: row.active_element_ids,
    openSteps: row.open_steps,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    incidents: row.incidents,
    dossier: row.dossier_id === null
      ? null
      : { id: row.dossier_id, code: row.code!, status: row.dossier_status!, applicantName: row.applicant_name!, applicantId: row.applicant_id, agencyCode: row.agency_code!, submittedAt: row.submitted_at! },
  }));
}

import { z } from 'zod';
import { agencyCodeSchema } from '../../engine/codes/application-number.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { requireAgencies } from './accounts.ts';
import { forgetTokenPrincipals } from './tokens.ts';
import { functionSchema, type AgencyFunction } from './roles.ts';

export const newAgencySchema = z.object({
  code: agencyCodeSchema,
  name: z.string().trim().min(1, 'required').max(300, 'at most 300 characters'),
  parentCode: agencyCodeSchema.optional(),
});
export type NewAgency = z.infer<typeof newAgencySchema>;

export async function createAgency(db: Database, agency: NewAgency, demo = false): Promise<void> {
  if (agency.parentCode) await requireAgencies(db, [agency.parentCode]);
  const inserted = await db('agencies').insert({ code: agency.code, name: agency.name, parent_code: agency.parentCode ?? null, demo }).onConflict('code').ignore().returning('code');
  if (inserted.length === 0) {
    throw new QuyTrinhError('conflict', 'agency.exists', { vi: `Đã có cơ quan mã ${agency.code}`, en: `An agency with code ${agency.code} already exists` }, [{ field: 'body.code', message: 'already exists' }]);
  }
}

export async function listAgencies(db: Database) {
  const rows = await db('agencies').orderBy('code').select<Array<{ code: string; name: string; parent_code: string | null; demo: boolean }>>('code', 'name', 'parent_code', 'demo');
  const lanes = await db('agency_lanes').orderBy('lane').select<Array<{ lane: string; agency_code: string; function: AgencyFunction | null }>>('lane', 'agency_code', 'function');
  return rows.map((row) => ({
    code: row.code,
    name: row.name,
    parentCode: row.parent_code,
    demo: row.demo,
    lanes: lanes.filter((lane) => lane.agency_code === row.code).map((lane) => ({ lane: lane.lane, function: lane.function })),
  }));
}

export const laneBodySchema = z.object({ function: functionSchema.nullable().optional() });

/**
 * Says which agency (and function) a BPMN lane stands for: its user tasks are then offered to
 * exactly the officials who hold it. A lane named by an agency's code or name needs no mapping.
 */
export async function mapLane(db: Database, lane: string, agencyCode: string, fn: AgencyFunction | null): Promise<void> {
  await requireAgencies(db, [agencyCode]);
  await db('agency_lanes').insert({ lane, agency_code: agencyCode, function: fn }).onConflict('lane').merge();
  // Tokens' principals carry the lanes they reach (access/scopes.ts): a lane moved to another agency is no longer theirs.
  forgetTokenPrincipals();
}

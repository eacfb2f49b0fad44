import type { Knex } from 'knex';
import { QuyTrinhError } from '../../engine/errors.ts';
import { hasRole, type Principal } from '../identity/roles.ts';

/**
 * Who may watch dossiers (issue 14, docs/monitoring.md): procedure-control staff and
 * administrators every one; an official who leads or receives at the one-stop desk of an agency
 * (function `lanh-dao` or `tiep-nhan`, or a token for the whole agency) that agency's dossiers:
 * officials "monitor and handle electronic applications" (Decree 45 Art. 6.1.c) and the system
 * monitors each dossier's processing step by step (Circular 01 Art. 23.4), looked up by who is
 * asking (Art. 23.5); nobody else. Citizens are refused by the route policy before this runs.
 */
export type MonitoringScope = { all: true } | { all: false; agencies: string[] };

const WATCHING_FUNCTIONS = new Set<string | null>(['lanh-dao', 'tiep-nhan', null]);

export function monitoringScope(principal: Principal): MonitoringScope {
  if (hasRole(principal, 'staff', 'admin')) return { all: true };
  const agencies = hasRole(principal, 'official') ? [...new Set(principal.memberships.filter((m) => WATCHING_FUNCTIONS.has(m.function)).map((m) => m.agencyCode))] : [];
  if (agencies.length === 0) {
    throw new QuyTrinhError('forbidden', 'monitoring.not-a-leader', {
      vi: 'Chỉ lãnh đạo hoặc bộ phận một cửa của cơ quan (và cán bộ kiểm soát TTHC) mới theo dõi được hồ sơ của cơ quan',
      en: "Only an agency's leaders or one-stop desk (and procedure-control staff) may monitor its dossiers",
    });
  }
  return { all: false, agencies };
}

/** Whether the caller sees variables: staff and administrators only (they may hold personal data beyond the form). */
export const seesVariables = (scope: MonitoringScope): boolean => scope.all;

/** Narrows a query over `d` (dossiers) to the scope's agencies. */
export function restrictToScope(scope: MonitoringScope, query: Knex.QueryBuilder, agencyColumn = 'd.agency_code'): void {
  if (!scope.all) void query.whereIn(agencyColumn, scope.agencies);
}

import { QuyTrinhError } from '../../engine/errors.ts';
import { hasRole, type Principal } from '../identity/roles.ts';
import type { MonitoringScope } from '../monitoring/access.ts';

/**
 * Who sees which agencies' indicators (docs/indicators.md): procedure-control staff, analysts and
 * administrators every agency's (they evaluate the quality of handling, Circular 01 Art. 32.2);
 * an official their own agencies', whatever their function; nobody else (the route policy refuses
 * citizens and machine tokens first).
 */
export function indicatorsScope(principal: Principal): MonitoringScope {
  if (hasRole(principal, 'staff', 'analyst', 'admin')) return { all: true };
  const agencies = hasRole(principal, 'official') ? [...new Set(principal.memberships.map((m) => m.agencyCode))] : [];
  if (agencies.length === 0) {
    throw new QuyTrinhError('forbidden', 'indicators.no-agency', {
      vi: 'Chỉ cán bộ của cơ quan (và cán bộ kiểm soát TTHC, chuyên viên phân tích) mới xem được chỉ số',
      en: "Only an agency's officials (and procedure-control staff and analysts) may see its indicators",
    });
  }
  return { all: false, agencies };
}

/** The agencies a query counts: the one asked for, if the scope holds it (403 otherwise), or the scope's. */
export function agenciesAsked(scope: MonitoringScope, agency: string | undefined): string[] | null {
  if (agency === undefined) return scope.all ? null : scope.agencies;
  if (!scope.all && !scope.agencies.includes(agency)) {
    throw new QuyTrinhError('forbidden', 'indicators.other-agency', {
      vi: `Cán bộ chỉ xem được chỉ số của cơ quan mình, không phải của ${agency}`,
      en: `An official sees only their own agency's indicators, not ${agency}'s`,
    }, [{ field: 'query.agency', message: 'not one of your agencies' }]);
  }
  return [agency];
}

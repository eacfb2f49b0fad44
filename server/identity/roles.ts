import { z } from 'zod';

/**
 * The roles of issue 9 (Circular 01 Art. 23–24; Decree 45 Art. 7–8), by the names the command line
 * and the API use. An account may hold several (a procedure-control officer who also analyses).
 *
 * - `citizen`: công dân / tổ chức, the applicant; sees only their own dossiers (Art. 23.5.b).
 * - `official`: cán bộ of one or more agencies with a function; sees their agencies' work.
 * - `staff`: cán bộ kiểm soát TTHC: models, costs, deployment.
 * - `analyst`: read-only reports and analysis.
 * - `admin`: accounts, agencies, calendars, tokens, the audit trail; may act on any dossier.
 * - `worker`: machine clients (external job workers, the payment platform's callbacks), by token only.
 */
export const ROLES = ['citizen', 'official', 'staff', 'analyst', 'admin', 'worker'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES, { error: `one of ${ROLES.join(', ')}` });

/**
 * An official's function in an agency: who receives, handles and signs (Decree 45 Art. 11–14), and
 * the two functions of a refund of state budget revenues (Circular 01 Art. 30.2.a–b), which two
 * different officials hold (server/payments/refunds.ts).
 */
export const FUNCTIONS = ['tiep-nhan', 'chuyen-vien', 'lanh-dao', 'lap-hoan-tra', 'duyet-hoan-tra'] as const;
export type AgencyFunction = (typeof FUNCTIONS)[number];

export const FUNCTION_NAMES: Record<AgencyFunction, { vi: string; en: string }> = {
  'tiep-nhan': { vi: 'Tiếp nhận (Một cửa)', en: 'One-stop receipt' },
  'chuyen-vien': { vi: 'Chuyên viên', en: 'Specialist' },
  'lanh-dao': { vi: 'Lãnh đạo (ký duyệt)', en: 'Approver (signs)' },
  'lap-hoan-tra': { vi: 'Lập chứng từ hoàn trả khoản thu NSNN', en: 'Prepare documents for refund of state budget revenues' },
  'duyet-hoan-tra': { vi: 'Duyệt chứng từ hoàn trả', en: 'Approve refund documents' },
};

export const functionSchema = z.enum(FUNCTIONS, { error: `one of ${FUNCTIONS.map((fn) => `${fn} (${FUNCTION_NAMES[fn].vi})`).join(', ')}` });

export interface Membership {
  agencyCode: string;
  /** Null on an official token scoped to a whole agency: every function of it. */
  function: AgencyFunction | null;
}

/**
 * Who is calling: a signed-in account (session cookie) or a machine token. The one shape every
 * policy and scope check reads; anonymous callers have none.
 */
export interface Principal {
  kind: 'account' | 'token';
  id: string;
  /** What the audit trail records as the actor: `account:<username>` or `token:<name>`. */
  actor: string;
  displayName: string;
  roles: readonly Role[];
  memberships: readonly Membership[];
  assuranceLevel: 1 | 2;
  /** A worker token's job types; null for any. */
  jobTypes: readonly string[] | null;
  /** Set for a cookie session: the CSRF token its writes must echo. */
  csrfToken?: string | undefined;
  sessionHash?: string | undefined;
}

export function hasRole(principal: Principal | undefined, ...roles: Role[]): boolean {
  return principal !== undefined && principal.roles.some((role) => roles.includes(role));
}

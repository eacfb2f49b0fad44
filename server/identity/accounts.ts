import { z } from 'zod';
import { agencyCodeSchema } from '../../engine/codes/application-number.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { functionSchema, roleSchema, type AgencyFunction, type Membership, type Principal, type Role } from './roles.ts';
import { hashPassword } from './secrets.ts';

/** A 12-digit personal identification number (Law on Identification 2023, Art. 12). */
export const personalIdSchema = z.string().regex(/^\d{12}$/, 'a personal ID number of 12 digits');
/** An organisation's electronic ID: its enterprise (tax) code, 10 digits or 10-3 for a branch. */
export const organisationIdSchema = z.string().regex(/^\d{10}(-\d{3})?$/, 'an organisation code of 10 digits (or 10-3 for a branch)');
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{2,63}$/, '3–64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit');
/** Long enough to resist guessing; argon2id takes care of the rest (NIST SP 800-63B 5.1.1.2). */
export const passwordSchema = z.string().min(10, 'at least 10 characters').max(200, 'at most 200 characters');
export const displayNameSchema = z.string().trim().min(1, 'required').max(200, 'at most 200 characters');

export const membershipSchema = z.object({ agencyCode: agencyCodeSchema, function: functionSchema });

export interface NewAccount {
  username: string;
  displayName: string;
  roles: Role[];
  password?: string | undefined;
  holder?: { kind: 'person' | 'organisation'; id: string } | undefined;
  email?: string | undefined;
  assuranceLevel?: 1 | 2;
  identifiedBy: string;
  memberships?: Array<{ agencyCode: string; function: AgencyFunction }>;
  oidc?: { issuer: string; subject: string } | undefined;
  demo?: boolean;
  /** What forms are filled from (Decree 45 Art. 16.4): phone, dateOfBirth, address, the name as documents write it. */
  profile?: AccountProfile | undefined;
}

export interface AccountProfile {
  fullName?: string;
  phone?: string;
  /** YYYY-MM-DD. */
  dateOfBirth?: string;
  address?: { province?: string; commune?: string; street?: string };
}

export interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  roles: Role[];
  holder_kind: 'person' | 'organisation' | null;
  holder_id: string | null;
  email: string | null;
  password_hash: string | null;
  assurance_level: 1 | 2;
  identified_by: string;
  demo: boolean;
  created_at: Date;
  disabled_at: Date | null;
}

export function usernameTaken(username: string): QuyTrinhError {
  return new QuyTrinhError('conflict', 'account.username-taken', {
    vi: `Tên đăng nhập "${username}" đã có người dùng`,
    en: `The username "${username}" is already taken`,
  }, [{ field: 'body.username', message: 'already taken' }]);
}

/** Creates an account (and its memberships) in one transaction; a taken username is a 409. */
export async function createAccount(db: Database, account: NewAccount): Promise<AccountRow> {
  for (const role of account.roles) roleSchema.parse(role);
  const passwordHash = account.password === undefined ? null : await hashPassword(account.password);
  return db.transaction(async (trx) => {
    const existing = await trx('accounts').where({ username: account.username }).first<{ id: string } | undefined>('id');
    if (existing) throw usernameTaken(account.username);
    if (account.memberships?.length) await requireAgencies(trx, account.memberships.map((membership) => membership.agencyCode));
    const [row] = await trx('accounts')
      .insert({
        username: account.username,
        display_name: account.displayName,
        roles: account.roles,
        holder_kind: account.holder?.kind ?? null,
        holder_id: account.holder?.id ?? null,
        email: account.email ?? null,
        password_hash: passwordHash,
        assurance_level: account.assuranceLevel ?? 1,
        identified_by: account.identifiedBy,
        oidc_issuer: account.oidc?.issuer ?? null,
        oidc_subject: account.oidc?.subject ?? null,
        demo: account.demo ?? false,
        profile: JSON.stringify(account.profile ?? {}),
      })
      .returning<AccountRow[]>('*');
    if (account.memberships?.length) {
      await trx('agency_memberships').insert(account.memberships.map((membership) => ({ account_id: row!.id, agency_code: membership.agencyCode, function: membership.function })));
    }
    return row!;
  });
}

export async function requireAgencies(db: Database, codes: string[]): Promise<void> {
  const found = new Set((await db('agencies').whereIn('code', codes).select<Array<{ code: string }>>('code')).map((row) => row.code));
  const missing = codes.filter((code) => !found.has(code));
  if (missing.length > 0) {
    throw new QuyTrinhError('invalid-input', 'agency.unknown', {
      vi: `Không có cơ quan mã ${missing.join(', ')}`,
      en: `No agency with code ${missing.join(', ')}`,
    }, missing.map((code) => ({ field: 'body.memberships', message: `no agency ${code}` })));
  }
}

export async function accountPrincipal(db: Database, row: AccountRow): Promise<Principal> {
  const memberships = await db('agency_memberships').where({ account_id: row.id }).select<Array<{ agency_code: string; function: AgencyFunction }>>('agency_code', 'function');
  return {
    kind: 'account',
    id: row.id,
    actor: `account:${row.username}`,
    displayName: row.display_name,
    roles: row.roles,
    memberships: memberships.map((membership): Membership => ({ agencyCode: membership.agency_code, function: membership.function })),
    assuranceLevel: row.assurance_level,
    jobTypes: null,
  };
}

export function accountJson(row: AccountRow, memberships: Membership[] = []) {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: row.roles,
    holder: row.holder_kind ? { kind: row.holder_kind, id: row.holder_id } : null,
    email: row.email,
    assuranceLevel: row.assurance_level,
    identifiedBy: row.identified_by,
    memberships,
    demo: row.demo,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

/** Disables an account and ends every session of it (logout everywhere). */
export async function disableAccount(db: Database, username: string): Promise<AccountRow> {
  return db.transaction(async (trx) => {
    const [row] = await trx('accounts').where({ username }).update({ disabled_at: trx.fn.now() }).returning<AccountRow[]>('*');
    if (!row) throw accountNotFound(username);
    await trx('sessions').where({ account_id: row.id }).delete();
    return row;
  });
}

export function accountNotFound(username: string): QuyTrinhError {
  return new QuyTrinhError('not-found', 'account.not-found', { vi: `Không có tài khoản ${username}`, en: `No account ${username}` });
}

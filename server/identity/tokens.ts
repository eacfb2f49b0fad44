import { z } from 'zod';
import { agencyCodeSchema } from '../../engine/codes/application-number.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { requireAgencies } from './accounts.ts';
import { roleSchema, type Principal, type Role } from './roles.ts';
import { newSecret, secretHash } from './secrets.ts';

/** Tokens start with this, so a leaked one is recognisable (secret scanners, logs). */
const TOKEN_PREFIX = 'qt_';

export const newTokenSchema = z.object({
  name: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  role: roleSchema,
  agency: agencyCodeSchema.optional(),
  jobTypes: z.array(z.string().min(1).max(200)).max(100).optional(),
});
export type NewToken = z.infer<typeof newTokenSchema>;

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  agency_code: string | null;
  job_types: string[] | null;
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

/** Creates a token; its secret is returned once and only its hash is kept. */
export async function createToken(db: Database, token: NewToken, createdBy: string): Promise<{ id: string; token: string }> {
  if (token.role === 'official' && !token.agency) {
    throw new QuyTrinhError('invalid-input', 'token.agency-required', {
      vi: 'Khoá truy cập vai trò cán bộ cần mã cơ quan (--agency)',
      en: 'An official token needs an agency code (--agency)',
    }, [{ field: 'agency', message: 'required for the official role' }]);
  }
  if (token.agency) await requireAgencies(db, [token.agency]);
  const secret = `${TOKEN_PREFIX}${newSecret()}`;
  const [row] = await db('api_tokens')
    .insert({ name: token.name, token_hash: secretHash(secret), role: token.role, agency_code: token.agency ?? null, job_types: token.jobTypes ?? null, created_by: createdBy })
    .returning<Array<{ id: string }>>('id');
  forgetTokenPrincipals();
  return { id: row!.id, token: secret };
}

export async function revokeToken(db: Database, idOrName: string): Promise<number> {
  const query = db('api_tokens').whereNull('revoked_at');
  void (z.uuid().safeParse(idOrName).success ? query.where({ id: idOrName }) : query.where({ name: idOrName }));
  const revoked = await query.update({ revoked_at: db.fn.now() });
  forgetTokenPrincipals();
  return revoked;
}

export async function listTokens(db: Database) {
  const rows = await db<TokenRow>('api_tokens').orderBy('created_at').select('id', 'name', 'role', 'agency_code', 'job_types', 'created_by', 'created_at', 'revoked_at');
  return rows.map((row) => ({ id: row.id, name: row.name, role: row.role, agency: row.agency_code, jobTypes: row.job_types, createdBy: row.created_by, createdAt: row.created_at, revokedAt: row.revoked_at }));
}

/**
 * A token's principal is cached for a few seconds: machine clients call many times a second and a
 * database round trip per call would cost more than the call. A revocation in this process clears
 * the cache at once; in another process it takes effect within TOKEN_CACHE_MS. The lanes an
 * official token reaches are memoised on its cached principal (access/scopes.ts), so a lane mapped
 * elsewhere takes effect the same way: at once here, within TOKEN_CACHE_MS in another process.
 */
export const TOKEN_CACHE_MS = 5_000;
/** The read itself is cached, so the requests arriving together when an entry expires share one query. */
const tokenCache = new Map<string, { principal: Promise<Principal | undefined>; until: number }>();

/** Drops every cached token principal (and the lanes memoised on them, access/scopes.ts): after a change of what a token may reach. */
export function forgetTokenPrincipals(): void {
  tokenCache.clear();
}

export function tokenPrincipal(db: Database, secret: string): Promise<Principal | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX)) return Promise.resolve(undefined);
  const hash = secretHash(secret);
  const cached = tokenCache.get(hash);
  if (cached && cached.until > Date.now()) return cached.principal;
  if (tokenCache.size > 10_000) tokenCache.clear();
  // The period counts from before the read, so a revocation elsewhere is never honoured later than TOKEN_CACHE_MS after it.
  const entry = { principal: readTokenPrincipal(db, hash), until: Date.now() + TOKEN_CACHE_MS };
  tokenCache.set(hash, entry);
  // A failed read is not kept: the next request tries again.
  void entry.principal.catch(() => {
    if (tokenCache.get(hash) === entry) tokenCache.delete(hash);
  });
  return entry.principal;
}

async function readTokenPrincipal(db: Database, hash: string): Promise<Principal | undefined> {
  const row = await db('api_tokens').where({ token_hash: hash }).whereNull('revoked_at').first<TokenRow | undefined>();
  return row && {
    kind: 'token',
    id: row.id,
    actor: `token:${row.name}`,
    displayName: row.name,
    roles: [row.role],
    memberships: row.agency_code ? [{ agencyCode: row.agency_code, function: null }] : [],
    // A machine acts for an agency or a platform; it never stands in for a person's identity.
    assuranceLevel: 1,
    jobTypes: row.job_types,
  };
}

/**
 * Who may read which part of a person's or organisation's e-data store (Circular 01 Art. 24.3:
 * "conformable to the data access hierarchy", privacy and personal data protection; Decree 45 Art.
 * 16.5). docs/datastore.md gives the reading this module implements:
 *
 * - the owner (the account, or every account, holding the holder id) sees all of it;
 * - an official sees only the dossiers of that holder received by one of the official's agencies,
 *   those dossiers' components, history and results, and of the holder's other documents those
 *   the procedures of these dossiers need (by component name); an official of an agency with no
 *   dossier of that holder is refused (403, the same whether the holder exists or not);
 * - nobody else reads it: another citizen is told it does not exist (404), as another's dossier
 *   is; administrators and staff are refused by the route table.
 *
 * Every read by someone other than the owner is written to the audit trail (audit.ts).
 */
import type { Knex } from 'knex';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { openProcedureOf } from '../dossiers/procedures.ts';
import { hasRole, type Principal } from '../identity/roles.ts';

export interface StoreAccess {
  /** The holder id (Art. 24.2.a), or null for the caller's own store when their account has none. */
  holderId: string | null;
  /** The accounts whose store this is. */
  ownerIds: readonly string[];
  /** `account:<username>` of the owners: who uploaded what (Art. 24.2.g). */
  ownerActors: readonly string[];
  /** Null for the owner (everything); else the official's agencies, whose dossiers alone are visible. */
  agencies: readonly string[] | null;
}

interface OwnerRow {
  id: string;
  username: string;
}

const notFound = (holderId: string) =>
  new QuyTrinhError('not-found', 'datastore.not-found', { vi: `Không có kho dữ liệu của ${holderId}`, en: `No e-data store of ${holderId}` }, [{ field: 'params.holderId', message: 'no store you may read' }]);

/** The caller's own store (the portal's "Kho dữ liệu"). */
export async function ownStore(db: Database, principal: Principal): Promise<StoreAccess> {
  const account = await db('accounts').where({ id: principal.id }).first<{ holder_id: string | null } | undefined>('holder_id');
  if (principal.kind !== 'account' || !account) throw new QuyTrinhError('forbidden', 'datastore.account-only', { vi: 'Chỉ tài khoản công dân, tổ chức có kho dữ liệu', en: 'Only a citizen or organisation account has an e-data store' });
  if (account.holder_id !== null) return storeOf(db, principal, account.holder_id);
  return { holderId: null, ownerIds: [principal.id], ownerActors: [principal.actor], agencies: null };
}

const outsideHierarchy = (holderId: string) =>
  new QuyTrinhError('not-found', 'datastore.outside-hierarchy', {
    vi: `Cơ quan của bạn không giải quyết hồ sơ nào của ${holderId}: không được xem kho dữ liệu này (Thông tư 01/2023 Điều 24.3)`,
    en: `Your agencies handle no dossier of ${holderId}: this e-data store is not yours to read (Circular 01/2023 Art. 24.3)`,
  }, [{ field: 'params.holderId', message: 'outside your access hierarchy' }]);

/**
 * The store of `holderId` as `principal` may read it. An official of agencies handling no dossier
 * of the holder is refused with 404, as every scope refusal is (route-policies.ts), whether or not
 * the holder has an account, so the refusal does not tell; its problem says why (Art. 24.3).
 * Another citizen is told there is none (404), as for another's dossier.
 */
export async function storeOf(db: Database, principal: Principal, holderId: string): Promise<StoreAccess> {
  const owners = await db('accounts').where({ holder_id: holderId }).select<OwnerRow[]>('id', 'username');
  const base = { holderId, ownerIds: owners.map((owner) => owner.id), ownerActors: owners.map((owner) => `account:${owner.username}`) };
  if (principal.kind === 'account' && base.ownerIds.includes(principal.id)) return { ...base, agencies: null };
  if (hasRole(principal, 'official')) {
    const agencies = [...new Set(principal.memberships.map((membership) => membership.agencyCode))];
    const handled = owners.length === 0 ? undefined : await db('dossiers').whereIn('owner_account_id', base.ownerIds).whereIn('agency_code', agencies).first<{ id: string } | undefined>('id');
    if (handled) return { ...base, agencies };
    throw outsideHierarchy(holderId);
  }
  throw notFound(holderId);
}

export const isOwner = (access: StoreAccess) => access.agencies === null;

/** The holder's dossiers the reader may see (all for the owner, their agencies' for an official). */
export function visibleDossiers(db: Database | Knex.Transaction, access: StoreAccess): Knex.QueryBuilder {
  const dossiers = db('dossiers').whereIn('owner_account_id', access.ownerIds);
  if (access.agencies !== null) void dossiers.whereIn('agency_code', access.agencies);
  return dossiers;
}

/**
 * The component names the visible dossiers' procedures need: what an official may see of the
 * holder's documents stored from other dossiers. The procedure's current components, and those
 * the dossiers were given.
 */
export async function neededComponents(db: Database, access: StoreAccess): Promise<string[]> {
  const dossiers = await visibleDossiers(db, access).clone().select<Array<{ id: string; procedure_key: string }>>('id', 'procedure_key');
  const names = new Set<string>();
  for (const key of new Set(dossiers.map((dossier) => dossier.procedure_key))) {
    const procedure = await openProcedureOf(db, key).catch(() => undefined); // withdrawn since: its dossiers' components still count
    for (const slot of procedure?.components ?? []) names.add(slot.name);
  }
  const given = await db('dossier_components').whereIn('dossier_id', dossiers.map((dossier) => dossier.id)).distinct<Array<{ name: string }>>('name');
  for (const component of given) names.add(component.name);
  return [...names];
}

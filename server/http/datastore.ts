import { Router, type Request } from 'express';
import { z } from 'zod';
import { isQuyTrinhError } from '../../engine/errors.ts';
import { requirePrincipal } from '../access/authorize.ts';
import { isOwner, ownStore, storeOf, type StoreAccess } from '../datastore/access.ts';
import { STORE_SECTIONS, storeHolder, storeSection } from '../datastore/store.ts';
import type { Database } from '../db/connect.ts';
import type { Principal } from '../identity/roles.ts';
import { pageQuery } from './pagination.ts';
import { validate } from './problem.ts';

const holderParams = z.object({ holderId: z.string().trim().min(1).max(50).regex(/^[0-9A-Za-z-]+$/, 'a personal ID, passport or tax number') });
const sectionParams = z.object({ section: z.enum(STORE_SECTIONS, { error: `one of ${STORE_SECTIONS.join(', ')}` }) });
const holderSectionParams = holderParams.extend(sectionParams.shape);

/**
 * The e-data store's API (docs/datastore.md; Circular 01 Art. 24, Decree 45 Art. 16): the caller's
 * own store at /datastore, anyone's a reader may see at /datastore/holders/:holderId (access.ts).
 * A read by someone other than the owner, let through or refused, is written to the audit trail:
 * the request log records only writes, and Art. 24.3 and Decree 45 Art. 16.5 (personal data) ask
 * that an official's reading of a person's data be traceable.
 */
export function datastoreRouter(db: Database): Router {
  const router = Router();

  /** Opens the holder's store for the caller, auditing a reader other than the owner (and a refusal). */
  const openStore = async (request: Request, principal: Principal, holderId: string, section: string): Promise<StoreAccess> => {
    const audit = (status: number, access?: StoreAccess) =>
      db('audit_log').insert({ actor: principal.actor, action: `GET ${request.baseUrl}${request.path}`, status, ip: request.ip ?? null, target: holderId, detail: JSON.stringify({ read: 'datastore', section, ...(access?.agencies ? { agencies: access.agencies } : {}) }) });
    try {
      const access = await storeOf(db, principal, holderId);
      if (!isOwner(access)) await audit(200, access);
      return access;
    } catch (error) {
      if (isQuyTrinhError(error) && (error.kind === 'not-found' || error.kind === 'forbidden')) await audit(error.kind === 'not-found' ? 404 : 403);
      throw error;
    }
  };

  router.get('/datastore', async (_request, response) => {
    response.json(await storeHolder(db, await ownStore(db, requirePrincipal(response))));
  });

  router.get('/datastore/holders/:holderId', async (request, response) => {
    const { holderId } = validate(holderParams, request.params, 'params');
    response.json(await storeHolder(db, await openStore(request, requirePrincipal(response), holderId, 'identity')));
  });

  router.get('/datastore/holders/:holderId/:section', async (request, response) => {
    const { holderId, section } = validate(holderSectionParams, request.params, 'params');
    const page = validate(pageQuery, request.query, 'query');
    response.json(await storeSection(db, await openStore(request, requirePrincipal(response), holderId, section), section, page));
  });

  // The caller's own store, section by section (the portal's "Kho dữ liệu"); /datastore/results has served its results since issue 11.
  router.get('/datastore/:section', async (request, response) => {
    const { section } = validate(sectionParams, request.params, 'params');
    const page = validate(pageQuery, request.query, 'query');
    response.json(await storeSection(db, await ownStore(db, requirePrincipal(response)), section, page));
  });

  return router;
}

import express, { Router } from 'express';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { deployDefinition } from '../execution/definitions.ts';
import { startProcessInstance } from '../execution/instances.ts';
import { requirePrincipal } from '../access/authorize.ts';
import { hasRole } from '../identity/roles.ts';
import { pageOf, pageQuery, type Keyset } from './pagination.ts';
import { jsonBody, keyString, MAX_JSON_REQUEST_BYTES, MAX_KEY_LENGTH, MAX_MODEL_BYTES, safeString, variablesSchema } from './input-limits.ts';
import { validate } from './problem.ts';

/** Each key with its newest version first; key and version are unique together (migration 0015's process_definitions_list). */
const byKeyNewestFirst: Keyset = {
  name: 'definitions',
  keys: [
    { sql: 'key', kind: 'text' },
    { sql: 'version', kind: 'integer', descending: true },
  ],
};

const startBody = z.object({
  businessKey: keyString.optional(),
  variables: variablesSchema.optional(),
  startEventId: safeString(MAX_KEY_LENGTH).min(1).optional(),
});

/** `/api/definitions`: deploy BPMN (application/xml) and start instances of a deployed key. */
export function definitionsRouter(db: Database): Router {
  const router = Router();

  router.post('/definitions', express.text({ type: ['application/xml', 'text/xml', 'application/bpmn+xml'], limit: MAX_MODEL_BYTES }), async (request, response) => {
    if (typeof request.body !== 'string' || request.body.trim() === '') {
      throw new QuyTrinhError('invalid-input', 'definition.xml-required', {
        vi: 'Gửi mô hình BPMN trong thân yêu cầu với Content-Type: application/xml',
        en: 'Send the BPMN model as the request body with Content-Type: application/xml',
      }, [{ field: 'body', message: 'BPMN XML required' }]);
    }
    const deployed = await deployDefinition(db, request.body);
    // A file of several executable processes answers with its first, as a file of one always has, and lists them all.
    const several = deployed.definitions.length > 1 ? { definitions: deployed.definitions } : {};
    // 201 when any process got a new version, and Location names the first that did.
    const created = deployed.definitions.find((definition) => definition.created);
    response.status(created ? 201 : 200).location(`/api/definitions/${(created ?? deployed).key}/${(created ?? deployed).version}`).json({ id: deployed.id, key: deployed.key, version: deployed.version, warnings: deployed.warnings, ...several });
  });

  router.get('/definitions', async (request, response) => {
    const { limit, cursor, key } = validate(pageQuery.extend({ key: z.string().min(1).max(200).optional() }), request.query, 'query');
    const definitions = db('process_definitions').select('id', 'key', 'version', 'name', 'deployed_at');
    if (key) void definitions.where({ key });
    response.json(await pageOf(db, definitions, byKeyNewestFirst, { limit, cursor }, (row: { id: string; key: string; version: number; name: string | null; deployed_at: Date }) => ({ id: row.id, key: row.key, version: row.version, name: row.name, deployedAt: row.deployed_at })));
  });

  // The deployed model itself, as the deployment's Location names it: the workspace draws where a dossier stands on it.
  router.get('/definitions/:key/:version', async (request, response) => {
    const { key, version } = validate(z.object({ key: keyString, version: z.coerce.number().int().positive('a version number: 1, 2, ...') }), request.params, 'params');
    const definition = await db('process_definitions').where({ key, version }).first<{ xml: string } | undefined>('xml');
    if (!definition) throw new QuyTrinhError('not-found', 'definition.not-found', { vi: `Không có quy trình ${key} phiên bản ${version}`, en: `No deployed process ${key} version ${version}` });
    response.type('application/xml').send(definition.xml);
  });

  router.post('/definitions/:key/instances', jsonBody(MAX_JSON_REQUEST_BYTES), async (request, response) => {
    const { key } = validate(z.object({ key: safeString(MAX_KEY_LENGTH).min(1) }), request.params, 'params');
    const body = validate(startBody, request.body ?? {}, 'body');
    const principal = requirePrincipal(response);
    // A citizen's instance is their own dossier, and needs the level of identity the procedure asks (Decree 45 Art. 8).
    const applicant = hasRole(principal, 'staff', 'admin') ? undefined : { accountId: principal.id, assuranceLevel: principal.assuranceLevel };
    // Decree 45 Art. 7.2: a dossier is filed from a registered person's or organisation's account, never by a machine token.
    if (applicant && principal.kind !== 'account') {
      throw new QuyTrinhError('forbidden', 'instance.applicant-account-required', {
        vi: 'Hồ sơ phải được nộp từ tài khoản của cá nhân, tổ chức đã đăng ký (Nghị định 45/2020 Điều 7), không phải bằng khoá truy cập',
        en: 'A dossier is filed from a registered person\'s or organisation\'s account (Decree 45/2020 Art. 7), not with an API token',
      });
    }
    const started = await startProcessInstance(db, key, body, { actor: principal.actor }, applicant);
    response.status(201).location(`/api/instances/${started.id}`).json(started);
  });

  return router;
}

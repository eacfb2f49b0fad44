import { Router } from 'express';
import { z } from 'zod';
import { ROUTE_POLICIES, type RoutePolicy } from '../access/route-policies.ts';
import { newAgencySchema } from '../identity/agencies.ts';
import { newTokenSchema } from '../identity/tokens.ts';

/**
 * The OpenAPI 3.1 document of `/api`, generated from the route policy table (one place for every
 * route, its roles and its scope) and the zod schemas of request bodies, converted with zod's own
 * JSON Schema support (OpenAPI 3.1 uses JSON Schema 2020-12 as it is).
 */
const REQUEST_BODIES: Partial<Record<string, z.ZodType>> = {
  'post /agencies': newAgencySchema,
  'post /tokens': newTokenSchema,
};

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}

function pathParameters(path: string) {
  return [...path.matchAll(/:([A-Za-z_]\w*)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
}

function operation(policy: RoutePolicy) {
  const body = REQUEST_BODIES[`${policy.method} ${policy.path}`];
  const secured = policy.allow !== 'public';
  return {
    summary: policy.summary,
    tags: [policy.tag],
    // Who may call it, as the policy table says; `security` gives how they prove it.
    'x-allow': policy.allow,
    ...(policy.scope ? { 'x-scope': policy.scope } : {}),
    security: secured ? [{ session: [] }, { bearer: [] }] : [],
    parameters: pathParameters(policy.path),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }) } } } } : {}),
    responses: {
      '200': { description: 'OK' },
      '400': { $ref: '#/components/responses/Problem' },
      ...(secured ? { '401': { $ref: '#/components/responses/Problem' }, '403': { $ref: '#/components/responses/Problem' } } : {}),
      '404': { $ref: '#/components/responses/Problem' },
    },
  };
}

export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const policy of ROUTE_POLICIES) {
    const path = `/api${openApiPath(policy.path)}`;
    (paths[path] ??= {})[policy.method] = operation(policy);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Quy Trình API', version, description: 'Administrative-procedure control: models, cost analysis and the process engine. Errors are RFC 9457 problem+json.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'qt_session', description: 'Browser session; writes must echo the session CSRF token in X-CSRF-Token' },
        bearer: { type: 'http', scheme: 'bearer', description: 'API token from `quytrinh token create`' },
      },
      responses: {
        Problem: { description: 'RFC 9457 problem details', content: { 'application/problem+json': { schema: { type: 'object', required: ['type', 'title', 'status', 'code'], properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' }, detail: { type: 'string' }, messages: { type: 'object' }, errors: { type: 'array' } } } } } },
      },
    },
    paths,
  };
}

export function openApiRouter(version: string): Router {
  const router = Router();
  const document = openApiDocument(version);
  router.get('/openapi.json', (_request, response) => {
    response.json(document);
  });
  return router;
}

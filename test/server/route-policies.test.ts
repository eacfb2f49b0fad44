import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ROUTE_POLICIES } from '../../server/access/route-policies.ts';
import type { Database } from '../../server/db/connect.ts';
import { createApp } from '../../server/http/app.ts';
import { openApiDocument } from '../../server/http/openapi.ts';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route express serves under /api, as `method path` (the routers are mounted on /api without a path of their own). */
function servedRoutes(): string[] {
  // The app is only inspected, never called: no database is needed.
  const app = createApp({ db: {} as Database, logger: pino({ level: 'silent' }), version: 'test', embeddedDatabase: true });
  const api = (app as unknown as { router: { stack: Layer[] } }).router.stack.find((layer) => layer.handle?.stack?.some((inner) => inner.handle?.stack));
  const routes: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) routes.push(`${method} ${layer.route.path}`);
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk(api!.handle!.stack!);
  return routes.sort();
}

const declared = ROUTE_POLICIES.map((policy) => `${policy.method} ${policy.path}`).sort();

describe('the route policy table (issue 9)', () => {
  it('declares a policy for every route express serves, and serves every route it declares', () => {
    const served = servedRoutes();
    expect(served.length).toBeGreaterThan(50);
    expect(served.filter((route) => !declared.includes(route)), 'routes without a policy').toEqual([]);
    expect(declared.filter((route) => !served.includes(route)), 'policies without a route').toEqual([]);
  });

  it('declares each route once', () => {
    expect(new Set(declared).size).toBe(declared.length);
  });

  it('lists every route in the OpenAPI document with its security requirement', () => {
    const document = openApiDocument('test');
    for (const policy of ROUTE_POLICIES) {
      const path = `/api${policy.path.replace(/:([A-Za-z_]\w*)/g, '{$1}')}`;
      const operation = (document.paths[path] as Record<string, { security: unknown[]; 'x-allow': unknown }> | undefined)?.[policy.method];
      expect(operation, `${policy.method} ${path}`).toBeDefined();
      expect(operation!.security.length === 0).toBe(policy.allow === 'public');
      expect(operation!['x-allow']).toEqual(policy.allow);
    }
  });
});

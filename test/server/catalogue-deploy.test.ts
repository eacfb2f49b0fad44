import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../engine/catalogue/index.ts';
import { projectRoot } from '../../server/paths.ts';
import { useApiOverTestDatabase } from '../support/api-server.ts';

const fixture = useApiOverTestDatabase();
const catalogue = await loadCatalogue(path.join(projectRoot, 'processes'));

async function call(method: string, url: string, body: string, contentType: string) {
  const response = await fixture.api.fetch(`${url}`, { method, headers: { 'content-type': contentType }, body });
  return { status: response.status, body: (await response.json()) as { key?: string; id?: string; errors?: unknown } };
}

describe('the catalogue on the engine', () => {
  it.each(catalogue.map((entry) => [entry.folder, entry] as const))('deploys the to-be model of %s and starts a dossier on it', async (_folder, entry) => {
    const deployed = await call('POST', '/api/definitions', entry.models['to-be'], 'application/xml');
    expect(deployed.status, JSON.stringify(deployed.body.errors)).toBe(201);
    const started = await call('POST', `/api/definitions/${deployed.body.key!}/instances`, JSON.stringify({ variables: entry.run.variables }), 'application/json');
    expect(started.status, JSON.stringify(started.body.errors)).toBe(201);
    const instance = await fixture.api.fetch(`/api/instances/${started.body.id!}`).then((response) => response.json() as Promise<{ status: string; activeElementIds: string[] }>);
    expect(instance.status).toBe('active');
    expect(instance.activeElementIds.length).toBeGreaterThan(0);
  });
});

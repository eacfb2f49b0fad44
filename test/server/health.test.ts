import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connect.ts';
import { startApiServer, useApiOverTestDatabase } from '../support/api-server.ts';

describe('GET /api/health', () => {
  const fixture = useApiOverTestDatabase();

  it('reports the version and a database that answers', async () => {
    const response = await fixture.api.fetch(`/api/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { database: { serverVersion: string } };
    expect(body).toMatchObject({ status: 'ok', version: 'test', database: { status: 'up' } });
    expect(body.database.serverVersion).toMatch(/^\d+\.\d+/);
  });

  it('answers 503 when the database is gone', async () => {
    // Given an app whose pool points at a database that has since been closed
    const lost = await openDatabase(fixture.database.url, 5000);
    const orphanApi = await startApiServer(lost);
    await lost.destroy();
    try {
      const response = await orphanApi.fetch(`/api/health`);
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await response.json()).toMatchObject({ status: 'degraded', database: { status: 'down' } });
    } finally {
      await orphanApi.close();
    }
  });
});

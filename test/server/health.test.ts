import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connect.ts';
import { startApiServer, type ApiServer } from '../support/api-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe('GET /api/health', () => {
  let database: TestDatabase;
  let api: ApiServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startApiServer(database.db);
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  it('reports the version and a database that answers', async () => {
    const response = await fetch(`${api.url}/api/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { database: { serverVersion: string } };
    expect(body).toMatchObject({ status: 'ok', version: 'test', database: { status: 'up' } });
    expect(body.database.serverVersion).toMatch(/^\d+\.\d+/);
  });

  it('answers 503 when the database is gone', async () => {
    // Given an app whose pool points at a database that has since been closed
    const lost = await openDatabase(database.url, 5000);
    const orphanApi = await startApiServer(lost);
    await lost.destroy();
    try {
      const response = await fetch(`${orphanApi.url}/api/health`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'degraded', database: { status: 'down' } });
    } finally {
      await orphanApi.close();
    }
  });
});

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { adminToken, startProductProcess } from '../support/product-process.ts';

const diagram = await readFile(new URL('../fixtures/receipt.bpmn', import.meta.url), 'utf8');

/**
 * The promise of `npm start`: a real `quytrinh start` process brings up its database (the
 * embedded PostgreSQL under DATA_DIR, or DATABASE_URL's), migrates it, answers health, stops
 * cleanly on Ctrl-C, and finds its data again after a restart.
 */
describe('quytrinh start', () => {
  const embedded = inject('embeddedDatabase');
  let dataDir: string;
  let external: TestDatabase | undefined;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'quytrinh-start-'));
    // On CI's second pass the product runs on DATABASE_URL's server, in a database of its own.
    external = embedded ? undefined : await createTestDatabase({ migrate: false });
    env = { DATA_DIR: dataDir, PORT: '0', DATABASE_URL: external?.url };
  });

  afterAll(async () => {
    await external?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('migrates, answers health, and keeps a saved model across a restart', async () => {
    // Given a first start on an empty data folder
    const first = await startProductProcess(env, ['--no-build']);
    const health = (await (await fetch(`${first.url}/api/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', version: '0.1.0', database: { status: 'up', embedded } });
    expect(first.output().stdout).toContain('0001_procedure_models');
    // The first start made an administrator and said once how to sign in; a token is made beside the running product.
    expect(first.output().stdout).toMatch(/username: admin +(mật khẩu \/ )?password: \S{12,}/);
    // A plain start never makes demo data.
    expect(first.output().stdout).not.toContain('DEMO');
    const token = await adminToken(env);
    const authorization = { authorization: `Bearer ${token}` };

    // When a model is saved and the product is stopped with Ctrl-C
    const created = await fetch(`${first.url}/api/models`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...authorization },
      body: JSON.stringify({ name: 'Tiếp nhận hồ sơ', stage: 'to-be', xml: diagram }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const stopped = await first.stop('SIGINT');
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('stopped');
    if (embedded) {
      // the embedded PostgreSQL stopped too: it removes its pid file on a clean shutdown
      expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    }

    // Then a second start finds the schema current and the model as it was saved
    const second = await startProductProcess(env, ['--no-build']);
    try {
      expect(second.output().stdout).toContain('schema is up to date');
      expect(second.output().stdout).not.toContain('password:');
      const model = (await (await fetch(`${second.url}/api/models/${id}`, { headers: authorization })).json()) as Record<string, unknown>;
      expect(model).toMatchObject({ id, name: 'Tiếp nhận hồ sơ', stage: 'to-be', version: 1, xml: diagram });
    } finally {
      expect((await second.stop('SIGTERM')).code).toBe(0);
    }
  });

  it.runIf(embedded)('takes over from an embedded PostgreSQL left running by a killed start', async () => {
    // Given a product killed without a chance to stop its database
    const killed = await startProductProcess(env, ['--no-build']);
    await killed.stop('SIGKILL');
    const orphanPid = Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(() => process.kill(orphanPid, 0)).not.toThrow();

    // When it starts again, then it stops the orphan and serves from the same data
    const restarted = await startProductProcess(env, ['--no-build']);
    try {
      expect(restarted.output().stdout).toContain('left running by an earlier start');
      const models = (await (await fetch(`${restarted.url}/api/models`, { headers: { authorization: `Bearer ${await adminToken(env)}` } })).json()) as { items: unknown[] };
      expect(models.items).toHaveLength(1);
    } finally {
      expect((await restarted.stop()).code).toBe(0);
    }
  });
});

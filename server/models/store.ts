import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { pageOf, type Keyset, type Page, type PageRequest } from '../http/pagination.ts';

/** Circular 01 Art. 16 (as-is: how the procedure runs today) and Art. 17 (to-be: after restructuring). */
export type ModelStage = 'as-is' | 'to-be';

export interface ModelSummary {
  id: string;
  name: string;
  stage: ModelStage;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface ModelVersion {
  modelId: string;
  version: number;
  xml: string;
  comment: string;
  author: string;
  createdAt: string;
}

export interface NewVersion {
  xml: string;
  comment?: string | undefined;
  author?: string | undefined;
}

interface ModelRow {
  id: string;
  name: string;
  stage: ModelStage;
  latest_version: number;
  created_at: Date;
  updated_at: Date;
}

interface VersionRow {
  model_id: string;
  version: number;
  xml: string;
  comment: string;
  author: string;
  created_at: Date;
}

// A model moves to the front when saved, so one saved while a client pages can move past its
// position: it is then missed or seen twice in that walk. Index: migration 0015's procedure_models_list.
const lastSavedFirst: Keyset = {
  name: 'models',
  keys: [
    { sql: 'updated_at', kind: 'timestamp', descending: true },
    { sql: 'id', kind: 'uuid', descending: true },
  ],
};
// Versions are unique within a model (the primary key, read backwards).
const newestVersionFirst: Keyset = { name: 'versions', keys: [{ sql: 'version', kind: 'integer', descending: true }] };

const toSummary = (row: ModelRow): ModelSummary => ({
  id: row.id,
  name: row.name,
  stage: row.stage,
  latestVersion: row.latest_version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const toVersionInfo = (row: Omit<VersionRow, 'xml'>): Omit<ModelVersion, 'xml'> => ({
  modelId: row.model_id,
  version: row.version,
  comment: row.comment,
  author: row.author,
  createdAt: row.created_at.toISOString(),
});

const toVersion = (row: VersionRow): ModelVersion => ({ ...toVersionInfo(row), xml: row.xml });

function modelNotFound(id: string, version?: number): QuyTrinhError {
  const which = version === undefined ? id : `${id} v${version}`;
  return new QuyTrinhError('not-found', 'model.not-found', {
    vi: `Không có mô hình ${which}`,
    en: `No model ${which}`,
  });
}

/** Stored procedure models: every save is a new, immutable version. */
export function modelStore(db: Database) {
  return {
    async create(input: { name: string; stage: ModelStage } & NewVersion): Promise<{ id: string; version: number }> {
      return db.transaction(async (trx) => {
        const [row] = await trx('procedure_models').insert({ name: input.name, stage: input.stage }).returning<Array<{ id: string }>>('id');
        if (!row) throw new Error('insert returned no row');
        await trx('procedure_model_versions').insert({
          model_id: row.id,
          version: 1,
          xml: input.xml,
          comment: input.comment ?? '',
          author: input.author ?? '',
        });
        return { id: row.id, version: 1 };
      });
    },

    /**
     * Appends a version. With `baseVersion`, refuses (409) when someone saved in between, so a
     * stale editor never silently overwrites a colleague's work.
     */
    async addVersion(id: string, input: NewVersion & { baseVersion?: number | undefined }): Promise<{ id: string; version: number }> {
      return db.transaction(async (trx) => {
        const model = (await trx('procedure_models').where({ id }).forUpdate().first()) as ModelRow | undefined;
        if (!model) throw modelNotFound(id);
        if (input.baseVersion !== undefined && input.baseVersion !== model.latest_version) {
          throw new QuyTrinhError('conflict', 'model.version-conflict', {
            vi: `Mô hình đã được lưu thành phiên bản ${model.latest_version} sau phiên bản ${input.baseVersion} bạn đang sửa`,
            en: `The model was saved as version ${model.latest_version} after the version ${input.baseVersion} you are editing`,
          }, [{ field: 'body.baseVersion', message: `latest is ${model.latest_version}` }]);
        }
        const version = model.latest_version + 1;
        await trx('procedure_model_versions').insert({
          model_id: id,
          version,
          xml: input.xml,
          comment: input.comment ?? '',
          author: input.author ?? '',
        });
        await trx('procedure_models').where({ id }).update({ latest_version: version, updated_at: trx.fn.now() });
        return { id, version };
      });
    },

    /** Last saved first; `search` keeps the models whose name contains it, in any case. */
    async list(search: string | undefined, page: PageRequest): Promise<Page<ModelSummary>> {
      const models = db('procedure_models').select('*');
      if (search) void models.whereILike('name', `%${search.replace(/[\\%_]/g, (special) => `\\${special}`)}%`);
      return pageOf(db, models, lastSavedFirst, page, toSummary);
    },

    async get(id: string): Promise<ModelSummary> {
      const row = (await db('procedure_models').where({ id }).first()) as ModelRow | undefined;
      if (!row) throw modelNotFound(id);
      return toSummary(row);
    },

    /** Newest first. */
    async versions(id: string, page: PageRequest): Promise<Page<Omit<ModelVersion, 'xml'>>> {
      await this.get(id);
      const versions = db('procedure_model_versions').where({ model_id: id }).select('model_id', 'version', 'comment', 'author', 'created_at');
      return pageOf(db, versions, newestVersionFirst, page, toVersionInfo);
    },

    async version(id: string, version: number): Promise<ModelVersion> {
      const row = (await db('procedure_model_versions').where({ model_id: id, version }).first()) as VersionRow | undefined;
      if (!row) throw modelNotFound(id, version);
      return toVersion(row);
    },
  };
}

export type ModelStore = ReturnType<typeof modelStore>;

import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import type { Knex } from 'knex';
import { pageOf, type Keyset, type Page, type PageRequest } from '../http/pagination.ts';
import { searchKey as nameKey } from '../../engine/text/search-key.ts';

/** Circular 01 Art. 16 (as-is: how the procedure runs today) and Art. 17 (to-be: after restructuring). */
export type ModelStage = 'as-is' | 'to-be';

export interface ModelSummary {
  id: string;
  name: string;
  stage: ModelStage;
  latestVersion: number;
  /** The procedure the model belongs to: its as-is and to-be models share it (docs/models.md). */
  projectId: string;
  createdAt: string;
  updatedAt: string;
  /** Set while the model is in the bin. */
  deletedAt: string | null;
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
  project_id: string;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
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
  projectId: row.project_id,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  deletedAt: row.deleted_at?.toISOString() ?? null,
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

const stageName = (stage: ModelStage, language: 'vi' | 'en') =>
  language === 'vi' ? (stage === 'as-is' ? 'hiện trạng' : 'tái cấu trúc') : stage;

/** Serialises the writes that check a name, so two saves of one name cannot both pass the check. */
const lockNames = (trx: Knex.Transaction) => trx.raw("select pg_advisory_xact_lock(hashtext('procedure_models:name'))");

/** No silent duplicates: a model of the same stage outside the bin with the same name (diacritics and case aside) is named in the 409. */
async function refuseTakenName(trx: Knex.Transaction, name: string, stage: ModelStage, exceptId?: string): Promise<void> {
  const query = trx('procedure_models').where({ stage, name_key: nameKey(name) }).whereNull('deleted_at');
  if (exceptId) void query.whereNot({ id: exceptId });
  const taken = (await query.first()) as ModelRow | undefined;
  if (!taken) return;
  throw new QuyTrinhError('conflict', 'model.name-taken', {
    vi: `Đã có mô hình ${stageName(stage, 'vi')} tên “${taken.name}” (phiên bản ${taken.latest_version}): hãy mở mô hình đó hoặc đặt tên khác`,
    en: `There is already a ${stageName(stage, 'en')} model named “${taken.name}” (version ${taken.latest_version}): open it or choose another name`,
  }, [{ field: 'body.name', message: `taken by model ${taken.id}` }]);
}

function inBin(model: ModelRow): QuyTrinhError {
  return new QuyTrinhError('conflict', 'model.in-bin', {
    vi: `Mô hình “${model.name}” đang ở thùng rác: hãy khôi phục trước`,
    en: `The model “${model.name}” is in the bin: restore it first`,
  });
}

async function liveModel(db: Knex | Knex.Transaction, id: string): Promise<ModelRow> {
  const model = (await db('procedure_models').where({ id }).first()) as ModelRow | undefined;
  if (!model) throw modelNotFound(id);
  if (model.deleted_at !== null) throw inBin(model);
  return model;
}

/** Stored procedure models: every save is a new, immutable version. */
export function modelStore(db: Database) {
  return {
    /**
     * A new model at version 1. Refused (409, naming it) when a model of the same stage already has
     * the name; with `projectOf`, it joins that model's procedure, refused when the procedure
     * already has a model of its stage.
     */
    async create(input: { name: string; stage: ModelStage; projectOf?: string | undefined } & NewVersion): Promise<{ id: string; version: number; projectId: string }> {
      return db.transaction(async (trx) => {
        await lockNames(trx);
        await refuseTakenName(trx, input.name, input.stage);
        let projectId: string | undefined;
        if (input.projectOf !== undefined) {
          const other = (await trx('procedure_models').where({ id: input.projectOf }).whereNull('deleted_at').first()) as ModelRow | undefined;
          if (!other) throw modelNotFound(input.projectOf);
          const taken = (await trx('procedure_models').where({ project_id: other.project_id, stage: input.stage }).whereNull('deleted_at').first()) as ModelRow | undefined;
          if (taken) {
            throw new QuyTrinhError('conflict', 'model.project-stage-taken', {
              vi: `Thủ tục đã có mô hình ${stageName(input.stage, 'vi')}: “${taken.name}”`,
              en: `The procedure already has a ${stageName(input.stage, 'en')} model: “${taken.name}”`,
            }, [{ field: 'body.projectOf', message: `model ${taken.id}` }]);
          }
          projectId = other.project_id;
        }
        const [row] = await trx('procedure_models')
          .insert({ name: input.name, name_key: nameKey(input.name), stage: input.stage, ...(projectId ? { project_id: projectId } : { project_id: trx.raw('gen_random_uuid()') }) })
          .returning<Array<{ id: string; project_id: string }>>(['id', 'project_id']);
        if (!row) throw new Error('insert returned no row');
        // A model that starts a procedure names it: the project's id is its first model's.
        if (!projectId) await trx('procedure_models').where({ id: row.id }).update({ project_id: row.id });
        await trx('procedure_model_versions').insert({
          model_id: row.id,
          version: 1,
          xml: input.xml,
          comment: input.comment ?? '',
          author: input.author ?? '',
        });
        return { id: row.id, version: 1, projectId: projectId ?? row.id };
      });
    },

    /** A new name for a model, refused (409) as a new model's would be. */
    async rename(id: string, name: string): Promise<ModelSummary> {
      return db.transaction(async (trx) => {
        await lockNames(trx);
        const model = await liveModel(trx, id);
        await refuseTakenName(trx, name, model.stage, id);
        await trx('procedure_models').where({ id }).update({ name, name_key: nameKey(name), updated_at: trx.fn.now() });
        return toSummary({ ...model, name });
      });
    },

    /** Into the bin: out of the list and of the name check, kept with its versions until restored. */
    async moveToBin(id: string, actor: string): Promise<ModelSummary> {
      const model = await liveModel(db, id);
      const [row] = (await db('procedure_models').where({ id }).update({ deleted_at: db.fn.now(), deleted_by: actor }).returning('*')) as ModelRow[];
      return toSummary(row ?? model);
    },

    /** Back from the bin, unless another model has taken its name meanwhile (409). */
    async restoreFromBin(id: string): Promise<ModelSummary> {
      return db.transaction(async (trx) => {
        await lockNames(trx);
        const model = (await trx('procedure_models').where({ id }).first()) as ModelRow | undefined;
        if (!model) throw modelNotFound(id);
        if (model.deleted_at === null) return toSummary(model);
        await refuseTakenName(trx, model.name, model.stage, id);
        const taken = (await trx('procedure_models').where({ project_id: model.project_id, stage: model.stage }).whereNull('deleted_at').first()) as ModelRow | undefined;
        const [row] = (await trx('procedure_models')
          .where({ id })
          // Its procedure has another model of its stage now: it comes back as a procedure of its own.
          .update({ deleted_at: null, deleted_by: null, ...(taken ? { project_id: id } : {}) })
          .returning('*')) as ModelRow[];
        return toSummary(row!);
      });
    },

    /**
     * A copy of the model's latest version as a new model named `name`. Of the other stage, it
     * joins the model's procedure when that has no model of that stage yet.
     */
    async duplicate(id: string, input: { name: string; stage: ModelStage; author?: string | undefined }): Promise<{ id: string; version: number; projectId: string }> {
      const source = await liveModel(db, id);
      const latest = await this.version(id, source.latest_version);
      const free = input.stage !== source.stage && !(await db('procedure_models').where({ project_id: source.project_id, stage: input.stage }).whereNull('deleted_at').first());
      return this.create({
        name: input.name,
        stage: input.stage,
        xml: latest.xml,
        comment: `Nhân bản từ “${source.name}” phiên bản ${latest.version} / Duplicated from “${source.name}” version ${latest.version}`,
        author: input.author,
        projectOf: free ? id : undefined,
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
        if (model.deleted_at !== null) throw inBin(model);
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

    /**
     * Last saved first; `search` keeps the models whose name contains it, regardless of case and
     * diacritics ("dang ky" finds "Đăng ký"). The bin's models only with `bin`, the others without.
     */
    async list(search: string | undefined, page: PageRequest, options: { bin?: boolean; projectId?: string | undefined } = {}): Promise<Page<ModelSummary>> {
      const models = db('procedure_models').select('*');
      void (options.bin ? models.whereNotNull('deleted_at') : models.whereNull('deleted_at'));
      if (options.projectId) void models.where({ project_id: options.projectId });
      if (search) void models.whereLike('name_key', `%${nameKey(search).replace(/[\\%_]/g, (special) => `\\${special}`)}%`);
      return pageOf(db, models, lastSavedFirst, page, toSummary);
    },

    async get(id: string): Promise<ModelSummary> {
      const row = (await db('procedure_models').where({ id }).first()) as ModelRow | undefined;
      if (!row) throw modelNotFound(id);
      return toSummary(row);
    },

    /** The model of a stage (outside the bin) that has this name, diacritics and case aside: the one a new model of that name would duplicate. */
    async named(name: string, stage: ModelStage): Promise<ModelSummary | undefined> {
      const row = (await db('procedure_models').where({ stage, name_key: nameKey(name) }).whereNull('deleted_at').first()) as ModelRow | undefined;
      return row ? toSummary(row) : undefined;
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

    /** A model outside the bin (deployable, renamable), else 404 or 409. */
    live: (id: string) => liveModel(db, id).then(toSummary),
  };
}

export type ModelStore = ReturnType<typeof modelStore>;

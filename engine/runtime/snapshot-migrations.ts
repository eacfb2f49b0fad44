import { COMPILER_VERSION } from '../compile/compiler-version.ts';
import { QuyTrinhError } from '../errors.ts';
import type { StoredSnapshot } from './instance.ts';

/**
 * Turns a stored snapshot of compiler version `n` into one of version `n + 1`. Pure: it sees the
 * snapshot only (plain JSON), never the model, and must give a snapshot the new machine resolves.
 */
export type SnapshotMigration = (snapshot: StoredSnapshot) => StoredSnapshot;

/** The migrations, by the version they migrate from. */
export type SnapshotMigrations = ReadonlyMap<number, SnapshotMigration>;

/**
 * Every migration a release ships, by the version it migrates from. Empty: version 1 is the
 * first recorded one (every definition deployed before versions were recorded is version 1).
 * A release that bumps COMPILER_VERSION adds the entry for the version before it here, with a
 * test that a snapshot saved by the previous release (test/fixtures/replay) finishes after it.
 */
export const SNAPSHOT_MIGRATIONS: SnapshotMigrations = new Map();

/**
 * What a definition compiled by `version` needs before the current compiler may run its
 * instances: nothing (`current`); its snapshots migrated through `steps` (an older version with
 * every migration up to the current one); or it is refused (a newer release compiled it, or an
 * older version no migration leads on from), with a problem naming both versions.
 */
export function snapshotUpgrade(version: number, migrations: SnapshotMigrations = SNAPSHOT_MIGRATIONS): { kind: 'current' } | { kind: 'migrate'; steps: SnapshotMigration[] } {
  if (version === COMPILER_VERSION) return { kind: 'current' };
  if (!Number.isInteger(version) || version > COMPILER_VERSION) {
    throw new QuyTrinhError('conflict', 'definition.compiler-newer', {
      vi: `Định nghĩa quy trình được biên dịch bởi trình biên dịch phiên bản ${version}, mới hơn phiên bản ${COMPILER_VERSION} của bản phát hành đang chạy: hãy chạy bản phát hành đã triển khai nó (hoặc mới hơn)`,
      en: `The process definition was compiled by compiler version ${version}, newer than this release's version ${COMPILER_VERSION}: run the release that deployed it (or a newer one)`,
    });
  }
  const steps: SnapshotMigration[] = [];
  for (let from = version; from < COMPILER_VERSION; from++) {
    const step = migrations.get(from);
    if (!step) {
      throw new QuyTrinhError('conflict', 'definition.compiler-unknown', {
        vi: `Định nghĩa quy trình được biên dịch bởi trình biên dịch phiên bản ${version}; bản phát hành này (phiên bản ${COMPILER_VERSION}) không có cách chuyển trạng thái từ phiên bản ${from} lên ${from + 1}`,
        en: `The process definition was compiled by compiler version ${version}; this release (version ${COMPILER_VERSION}) has no snapshot migration from version ${from} to ${from + 1}`,
      });
    }
    steps.push(step);
  }
  return { kind: 'migrate', steps };
}

/** A snapshot taken through migration steps, in order. */
export function migrateSnapshot(snapshot: StoredSnapshot, steps: readonly SnapshotMigration[]): StoredSnapshot {
  return steps.reduce((migrated, step) => step(migrated), snapshot);
}

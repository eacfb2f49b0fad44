import type { StoredSnapshot } from '../../engine/runtime/instance.ts';
import type { SnapshotMigrations } from '../../engine/runtime/snapshot-migrations.ts';

/**
 * A synthetic version 0: the multi-instance progress as stored before its count was kept (every
 * item in `items`, no `count`); its migration to version 1 writes the count down.
 */
export const countKept: SnapshotMigrations = new Map([
  [0, (snapshot: StoredSnapshot) => {
    const context = snapshot.context as { multi: Record<string, { count?: number; items?: unknown[] }> };
    const multi = Object.fromEntries(Object.entries(context.multi).map(([id, progress]) => [id, progress.count === undefined ? { ...progress, count: progress.items?.length ?? 0 } : progress]));
    return { ...snapshot, context: { ...context, multi } };
  }],
]);

/** Today's snapshot of a parallel multi-instance activity, written back in version 0's shape. */
export function withoutCount(snapshot: StoredSnapshot, elementId: string, items: unknown[]): StoredSnapshot {
  const context = snapshot.context as { multi: Record<string, Record<string, unknown>> };
  const { count: _count, ...progress } = context.multi[elementId]!;
  return { ...snapshot, context: { ...context, multi: { ...context.multi, [elementId]: { ...progress, items } } } };
}

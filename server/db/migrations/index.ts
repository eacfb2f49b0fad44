import type { Knex } from 'knex';
import * as procedureModels from './0001_procedure_models.ts';
import * as processEngine from './0002_process_engine.ts';
import * as applicationNumbers from './0003_application_numbers.ts';
import * as jobRunners from './0004_job_runners.ts';
import * as calledProcesses from './0005_called_processes.ts';
import * as uniqueStartEvents from './0006_unique_start_events.ts';
import * as multiInstance from './0007_multi_instance.ts';
import * as keyedSubscriptions from './0008_keyed_subscriptions.ts';
import * as incidentQueueJobs from './0009_incident_queue_jobs.ts';
import * as agencyCalendars from './0010_agency_calendars.ts';
import * as multiInstanceRuns from './0011_multi_instance_runs.ts';
import * as identity from './0012_identity.ts';
import * as audit from './0013_audit.ts';
import * as listIndexes from './0015_list_indexes.ts';

/**
 * The migrations, in order. Listed here rather than discovered on disk so that they are
 * type-checked, bundled with the code that uses them, and run the same under any loader.
 */
const migrations: ReadonlyArray<[name: string, migration: Knex.Migration]> = [
  ['0001_procedure_models', procedureModels],
  ['0002_process_engine', processEngine],
  ['0003_application_numbers', applicationNumbers],
  ['0004_job_runners', jobRunners],
  ['0005_called_processes', calledProcesses],
  ['0006_unique_start_events', uniqueStartEvents],
  ['0007_multi_instance', multiInstance],
  ['0008_keyed_subscriptions', keyedSubscriptions],
  ['0009_incident_queue_jobs', incidentQueueJobs],
  ['0010_agency_calendars', agencyCalendars],
  ['0011_multi_instance_runs', multiInstanceRuns],
  ['0012_identity', identity],
  ['0013_audit', audit],
  ['0014_message_receipts', await import('./0014_message_receipts.ts')],
  ['0015_list_indexes', listIndexes],
  ['0016_dossiers', await import('./0016_dossiers.ts')],
  ['0017_dossier_instance_end', await import('./0017_dossier_instance_end.ts')],
  ['0018_payments', await import('./0018_payments.ts')],
  ['0019_payment_steps', await import('./0019_payment_steps.ts')],
  ['0020_signatures', await import('./0020_signatures.ts')],
  ['0021_payment_reconciliation', await import('./0021_payment_reconciliation.ts')],
  ['0022_payment_refunds', await import('./0022_payment_refunds.ts')],
  ['0023_digitizations', await import('./0023_digitizations.ts')],
  ['0024_result_documents', await import('./0024_result_documents.ts')],
  ['0027_monitoring_indexes', await import('./0027_monitoring_indexes.ts')],
  ['0028_payment_receipts', await import('./0028_payment_receipts.ts')],
  ['0029_signature_revocations', await import('./0029_signature_revocations.ts')],
  ['0030_datastore_reuse', await import('./0030_datastore_reuse.ts')],
  ['0031_component_signatures', await import('./0031_component_signatures.ts')],
  ['0032_official_credentials', await import('./0032_official_credentials.ts')],
  ['0034_indicators', await import('./0034_indicators.ts')],
  ['0035_model_calibrations', await import('./0035_model_calibrations.ts')],
  ['0036_compiler_version', await import('./0036_compiler_version.ts')],
  ['0037_model_projects', await import('./0037_model_projects.ts')],
  ['0038_service_publications', await import('./0038_service_publications.ts')],
  ['0040_indicator_facts', await import('./0040_indicator_facts.ts')],
  ['0041_signals', await import('./0041_signals.ts')],
  ['0042_drop_redundant_business_key_index', await import('./0042_drop_redundant_business_key_index.ts')],
  ['0043_indicator_days', await import('./0043_indicator_days.ts')],
  ['0044_step_counters', await import('./0044_step_counters.ts')],
];

export const migrationSource: Knex.MigrationSource<Knex.Migration> = {
  getMigrations: () => Promise.resolve(migrations.map(([, migration]) => migration)),
  getMigrationName: (migration) => migrations.find(([, m]) => m === migration)?.[0] ?? 'unknown',
  getMigration: (migration) => Promise.resolve(migration),
};

/** Brings the schema up to date; safe to run on every start and from several processes at once (knex locks). */
export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}

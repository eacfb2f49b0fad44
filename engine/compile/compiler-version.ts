/**
 * The version of the compiler's semantics: how BPMN constructs become XState states, and so the
 * shape of the snapshots an instance's steps store. Every deployed definition records the
 * version that compiled it (process_definitions.compiler_version); its running instances hold
 * snapshots of that version.
 *
 * A release that changes how a construct compiles in a way a stored snapshot would notice (a
 * state id renamed or moved, a context field added, removed or changed in meaning) bumps this
 * number and registers, in engine/runtime/snapshot-migrations.ts, the function that turns a
 * snapshot of the previous version into one of the new, with a test. A change that stored
 * snapshots cannot notice (a new construct, a better message) does not bump it.
 * docs/architecture.md, "Upgrades and running instances", has the rule.
 */
export const COMPILER_VERSION = 1;

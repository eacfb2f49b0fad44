/**
 * Where each side of a comparison comes from, as the value of its picker: a catalogue procedure's
 * as-is or to-be model, a saved model, the model open in the designer, or a file.
 */
export type ModelSource =
  | { kind: 'catalogue'; id: string; stage: 'as-is' | 'to-be' }
  | { kind: 'saved'; id: string }
  | { kind: 'open' }
  | { kind: 'file' };

export function sourceValue(source: ModelSource): string {
  switch (source.kind) {
    case 'catalogue':
      return `catalogue|${source.id}|${source.stage}`;
    case 'saved':
      return `saved|${source.id}`;
    default:
      return source.kind;
  }
}

export function parseSource(value: string): ModelSource {
  const [kind, id = '', stage] = value.split('|');
  if (kind === 'catalogue') return { kind, id, stage: stage === 'as-is' ? 'as-is' : 'to-be' };
  if (kind === 'saved') return { kind, id };
  return { kind: kind === 'file' ? 'file' : 'open' };
}

type Side = 'asIs' | 'toBe';

/** The model open in the designer, as the compare view is told of it. */
export interface OpenProcedure {
  stage: 'as-is' | 'to-be';
  /** The catalogue procedure it was opened from. */
  catalogueId?: string | undefined;
  /** Its process's qt:procedureCode, when it has one. */
  procedureCode?: string | undefined;
  /** The saved model of the other stage in its procedure (docs/models.md), when there is one. */
  pairModelId?: string | undefined;
}

/**
 * The pair the compare view opens on: the open model on its own side (with its unsaved edits),
 * beside the other model of its procedure: the saved model of the other stage in its project, else the catalogue entry it came from, else the one with its
 * national procedure code. With no procedure known, the first catalogue pair (so the view is never
 * empty); undefined until the catalogue is known.
 */
export function initialSources(open: OpenProcedure, catalogue: ReadonlyArray<{ id: string; procedureCode?: string | undefined }>): Record<Side, ModelSource> | undefined {
  if (open.pairModelId !== undefined) {
    const saved: ModelSource = { kind: 'saved', id: open.pairModelId };
    return open.stage === 'as-is' ? { asIs: { kind: 'open' }, toBe: saved } : { asIs: saved, toBe: { kind: 'open' } };
  }
  const procedure = catalogue.find((entry) => entry.id === open.catalogueId) ?? (open.procedureCode ? catalogue.find((entry) => entry.procedureCode === open.procedureCode) : undefined);
  if (procedure) {
    const other: ModelSource = { kind: 'catalogue', id: procedure.id, stage: open.stage === 'as-is' ? 'to-be' : 'as-is' };
    return open.stage === 'as-is' ? { asIs: { kind: 'open' }, toBe: other } : { asIs: other, toBe: { kind: 'open' } };
  }
  const first = catalogue[0]?.id;
  return first === undefined ? undefined : { asIs: { kind: 'catalogue', id: first, stage: 'as-is' }, toBe: { kind: 'catalogue', id: first, stage: 'to-be' } };
}

/** The national procedure code a model's process carries (qt:procedureCode), read from its XML. */
export function procedureCodeOf(xml: string): string | undefined {
  return /<(?:\w+:)?process\b[^>]*\bqt:procedureCode="([^"]+)"/.exec(xml)?.[1];
}

/**
 * The key a model is deployed under: the id of its executable process (of its only process when
 * none says so), read from its XML, for the calibration of the procedure it describes.
 */
export function processKeyOf(xml: string): string | undefined {
  const processes = [...xml.matchAll(/<(?:\w+:)?process\b([^>]*)>/g)].map((match) => match[1]!);
  const executable = processes.filter((attributes) => /\bisExecutable="true"/.test(attributes));
  const chosen = executable.length === 1 ? executable[0] : processes.length === 1 ? processes[0] : undefined;
  return chosen === undefined ? undefined : /\bid="([^"]+)"/.exec(chosen)?.[1];
}

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

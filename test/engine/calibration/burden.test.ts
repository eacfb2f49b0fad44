import { describe, expect, it } from 'vitest';
import { measureBurden } from '../../../engine/calibration/burden.ts';

describe('documents and trips measured on dossiers (docs/calibration.md)', () => {
  it('takes the mean of each figure over the dossiers, to the hundredth, beside the model', () => {
    const measured = measureBurden(
      [
        { documents: 2, reused: 0, trips: 0 },
        { documents: 3, reused: 1, trips: 0 },
        { documents: 2, reused: 0, trips: 1 },
      ],
      { documents: 2.111, trips: 0 },
    );
    expect(measured).toEqual({ sampleSize: 3, documents: { model: 2.11, measured: 2.33 }, reusedDocuments: 0.33, trips: { model: 0, measured: 0.33 } });
  });

  it('has nothing to say without a dossier, and no model figure when the model has no cost', () => {
    expect(measureBurden([], { documents: 2, trips: 1 })).toBeUndefined();
    expect(measureBurden([{ documents: 1, reused: 0, trips: 1 }], undefined)).toEqual({ sampleSize: 1, documents: { model: undefined, measured: 1 }, reusedDocuments: 0, trips: { model: undefined, measured: 1 } });
  });
});

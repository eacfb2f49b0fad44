/**
 * The applicant's burden as the dossiers' own records show it (issue 14, docs/calibration.md
 * "Documents and trips"): the components supplied and the visits to an office per dossier, beside
 * what the model predicts (the cost model's `documents` and `trips`, Circular 01 Art. 17.1.b–c).
 *
 * Reading chosen: a document supplied is a component uploaded to the dossier (its submission and its
 * amendment, a replaced one counting as supplied twice, as the cost model counts a loop's documents
 * again), except one given from the applicant's e-data store (Decree 45 Art. 16.4: not asked again);
 * a trip is a day on which an official digitized a paper component of the dossier (Circular 01
 * Art. 8: paper handed in at the one-stop desk), since an online dossier records no other visit. A
 * paper result fetched at the counter is not recorded either, so trips are a lower bound.
 */

/** What one dossier's records say. */
export interface DossierBurden {
  /** Components uploaded, superseded ones included. */
  documents: number;
  /** Components given from the e-data store instead of an upload. */
  reused: number;
  /** Distinct days (Vietnam time) on which an official digitized paper of it. */
  trips: number;
}

export interface BurdenMeasure {
  /** Dossiers measured: the sample size of every mean here. */
  sampleSize: number;
  documents: { model: number | undefined; measured: number };
  /** Mean components per dossier taken from the e-data store (none in the model: it cannot say). */
  reusedDocuments: number;
  trips: { model: number | undefined; measured: number };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The means over the dossiers measured; undefined when none has records (instances without a dossier). */
export function measureBurden(dossiers: readonly DossierBurden[], model: { documents: number; trips: number } | undefined): BurdenMeasure | undefined {
  if (dossiers.length === 0) return undefined;
  const mean = (pick: (burden: DossierBurden) => number) => round2(dossiers.reduce((sum, burden) => sum + pick(burden), 0) / dossiers.length);
  return {
    sampleSize: dossiers.length,
    documents: { model: model && round2(model.documents), measured: mean((burden) => burden.documents) },
    reusedDocuments: mean((burden) => burden.reused),
    trips: { model: model && round2(model.trips), measured: mean((burden) => burden.trips) },
  };
}

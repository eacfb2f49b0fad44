export { numericAttributes, staleFigures, unsourcedNumbers, type NumericAttribute } from './figures.ts';
export {
  figureSchema,
  loadCatalogue,
  MODEL_NAMES,
  PROCEDURE_LEVELS,
  procedureSchema,
  type CatalogueEntry,
  type CatalogueForm,
  type Figure,
  type ModelName,
  type Procedure,
  type ProcedureLevel,
} from './procedure.ts';
export { runCatalogueEntry, type CatalogueRun, type RunOptions } from './run.ts';
export { summariseCatalogue, type CatalogueSummary, type CatalogueSummaryRow, type CatalogueSummaryTotals } from './summary.ts';

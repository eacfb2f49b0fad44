import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { loadCatalogue, summariseCatalogue } from '../../engine/catalogue/index.ts';
import { analyseProcedureCost } from '../../engine/cost/procedure-cost.ts';
import { simulateProcedure } from '../../engine/cost/simulation.ts';
import { generatedProcedure } from './cost-models.ts';

export interface AnalysisTiming {
  nodes: number;
  readMs: number;
  analysisMs: number;
}

/** Median of a few runs: the machine is shared, one slow run says little. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Reading the XML (bpmn-moddle) and the exact analysis, each timed on its own, over generated models. */
export async function benchExactAnalysis(sizes: number[], repeats = 5): Promise<AnalysisTiming[]> {
  const timings: AnalysisTiming[] = [];
  for (const size of sizes) {
    const xml = generatedProcedure(size);
    const reads: number[] = [];
    const analyses: number[] = [];
    let nodes = 0;
    for (let run = 0; run < repeats; run++) {
      const readStart = performance.now();
      const graph = await readProcess(xml);
      reads.push(performance.now() - readStart);
      const analysisStart = performance.now();
      analyseProcedureCost(graph);
      analyses.push(performance.now() - analysisStart);
      nodes = graph.nodes.size;
    }
    timings.push({ nodes, readMs: median(reads), analysisMs: median(analyses) });
  }
  return timings;
}

export interface SimulationTiming {
  model: string;
  dossiers: number;
  ms: number;
  meanVnd: number;
  exactVnd: number;
  p90Vnd: number;
  leadTimeP90Days: number;
}

export async function benchSimulation(modelPath: string, label: string, dossiers: number): Promise<SimulationTiming> {
  const graph = await readProcess(await readFile(modelPath, 'utf8'));
  simulateProcedure(graph, { dossiers: 1000, seed: 1 }); // warm-up
  const start = performance.now();
  const result = simulateProcedure(graph, { dossiers, seed: 2026 });
  return { model: label, dossiers, ms: performance.now() - start, meanVnd: result.totalVnd.mean, exactVnd: result.exact.totalVnd, p90Vnd: result.totalVnd.p90, leadTimeP90Days: result.leadTimeCalendarDays.p90 };
}

/** Issue 16: the summary across the shipped catalogue (every entry's two models read and analysed), median of a few runs after a warm-up. */
export async function benchCatalogueSummary(processesDir: string, repeats = 5): Promise<{ entries: number; ms: number }> {
  const entries = await loadCatalogue(processesDir);
  await summariseCatalogue(entries);
  const runs: number[] = [];
  for (let run = 0; run < repeats; run++) {
    const start = performance.now();
    await summariseCatalogue(entries);
    runs.push(performance.now() - start);
  }
  return { entries: entries.length, ms: median(runs) };
}

/**
 * Follows the open model for a panel that shows what the server says about it (its cost, its
 * checks): every change on bpmn-js's command stack, and every import, sends the XML to `analyse`
 * 150 ms after the last change, so typing in a field sends one request, not one per key. An
 * answer that a newer request has overtaken is dropped and its request aborted, so a panel never
 * shows what the server said about an older model. A request refused because the session ended
 * is sent again once the user has signed in again.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import type EventBus from 'diagram-js/lib/core/EventBus';
import { onSessionRenewed } from '../api-client.ts';

export interface ModelAnalysis<T> {
  analyse(xml: string, signal: AbortSignal): Promise<T>;
  /**
   * The model changed and an answer is coming (called at once, before the delay, so nothing acts
   * on the answer about the model before the change); `imported` when a new model replaced it.
   */
  pending(imported: boolean): void;
  answered(answer: T): void;
  failed(message: string): void;
}

export const MODEL_WATCH_DELAY_MS = 150;

/** Starts following the model; the function returned stops it and drops any answer on its way. */
export function watchModel<T>(modeler: Modeler, analysis: ModelAnalysis<T>): () => void {
  const eventBus = modeler.get<EventBus>('eventBus');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: AbortController | undefined;
  let latest = 0;

  const run = async () => {
    const request = ++latest;
    running?.abort();
    const controller = (running = new AbortController());
    try {
      const { xml } = await modeler.saveXML();
      if (!xml) return;
      const answer = await analysis.analyse(xml, controller.signal);
      if (request === latest) analysis.answered(answer);
    } catch (error) {
      if (request !== latest || controller.signal.aborted) return;
      analysis.failed(error instanceof Error ? error.message : String(error));
    }
  };

  const schedule = (imported: boolean) => {
    analysis.pending(imported);
    clearTimeout(timer);
    timer = setTimeout(() => void run(), MODEL_WATCH_DELAY_MS);
  };
  const changed = () => schedule(false);
  const imported = () => schedule(true);

  eventBus.on('commandStack.changed', changed);
  eventBus.on('import.done', imported);
  const stopRenewed = onSessionRenewed(changed);
  return () => {
    stopRenewed();
    clearTimeout(timer);
    running?.abort();
    latest++;
    eventBus.off('commandStack.changed', changed);
    eventBus.off('import.done', imported);
  };
}

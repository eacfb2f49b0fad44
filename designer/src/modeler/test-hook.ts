/**
 * The open modeler, reachable from the page as `window.quyTrinhModeler`, so that browser tests
 * and `npm run bench` can read bpmn-js's import warnings and time its import as the designer
 * runs it. Harmless in production: it only names the page's own object, which the page's
 * scripts can already reach through the DOM.
 */
import type Modeler from 'bpmn-js/lib/Modeler';

declare global {
  interface Window {
    quyTrinhModeler?: Modeler;
  }
}

export function exposeModeler(modeler: Modeler): () => void {
  window.quyTrinhModeler = modeler;
  return () => {
    // React StrictMode mounts twice: only the modeler still shown stays named.
    if (window.quyTrinhModeler === modeler) delete window.quyTrinhModeler;
  };
}

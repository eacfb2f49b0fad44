import type Modeler from 'bpmn-js/lib/Modeler';
import { translate, type Language } from '../i18n.ts';
import { formatNumber } from '../format.ts';
import type { DesignerZoom } from './view-tools.ts';

interface ZoomControlsProps {
  /** The canvas's scale (view-tools.ts), 1 at the diagram's own size. */
  zoom: number;
  language: Language;
  modeler: () => Modeler | null;
}

/** Zoom in, zoom out, fit the whole diagram or its lanes’ height, over the canvas’s bottom left corner, with the zoom level they leave. */
export function ZoomControls({ zoom, language, modeler }: ZoomControlsProps) {
  const t = (key: Parameters<typeof translate>[1]) => translate(language, key);
  const use = (action: (zoom: DesignerZoom) => void) => () => {
    const current = modeler();
    if (current) action(current.get<DesignerZoom>('designerZoom'));
  };
  return (
    <div className="zoom-controls" role="group" aria-label={t('zoomControls')}>
      <button type="button" aria-label={t('zoomOut')} title={`${t('zoomOut')} (Ctrl −)`} onClick={use((service) => service.zoomOut())}>
        −
      </button>
      <output className="zoom-level" aria-label={t('zoomLevel')} data-testid="zoom-level">
        {formatNumber(Math.round(zoom * 100), language)} %
      </output>
      <button type="button" aria-label={t('zoomIn')} title={`${t('zoomIn')} (Ctrl +)`} onClick={use((service) => service.zoomIn())}>
        +
      </button>
      <button type="button" title={t('zoomFitHint')} onClick={use((service) => service.fit())}>
        {t('zoomFit')}
      </button>
      <button type="button" title={t('zoomFitHeightHint')} onClick={use((service) => service.fitHeight())}>
        {t('zoomFitHeight')}
      </button>
    </div>
  );
}

/**
 * PNG export without a new dependency: the browser draws bpmn-js's SVG onto a canvas. The SVG
 * holds no external references (bpmn-js inlines its markers and styles), so the canvas stays
 * untainted and can be read back as a PNG.
 */

/** Twice the diagram's size, so the picture stays sharp when pasted into a report. */
export const PNG_SCALE = 2;

/** The pixel size of an SVG drawn at `scale`, from its width/height (bpmn-js writes both) or its viewBox. */
export function svgPixelSize(svg: string, scale = PNG_SCALE): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(root)?.[1];
  const viewBox = attribute('viewBox')?.split(/[\s,]+/).map(Number);
  const width = Number.parseFloat(attribute('width') ?? '') || viewBox?.[2] || 0;
  const height = Number.parseFloat(attribute('height') ?? '') || viewBox?.[3] || 0;
  if (!(width > 0 && height > 0)) throw new Error('the SVG has no size to draw');
  return { width: Math.ceil(width * scale), height: Math.ceil(height * scale) };
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the browser could not draw the SVG'));
    image.src = url;
  });
}

/** The SVG as a PNG on a white background (a transparent PNG reads black in some viewers). */
export async function svgToPng(svg: string, scale = PNG_SCALE): Promise<Blob> {
  const { width, height } = svgPixelSize(svg, scale);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = await loadImage(url);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas in this browser');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no PNG'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

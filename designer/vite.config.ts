import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const designerRoot = path.dirname(fileURLToPath(import.meta.url));

// The designer is built into designer/dist and served by the product's own express server.
export default defineConfig({
  root: designerRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.join(designerRoot, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': `http://localhost:${process.env.PORT ?? '3000'}` },
  },
});

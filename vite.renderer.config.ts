// The renderer bundle: React UI, served to the window from dist/renderer over
// the app:// protocol (and to Chromium by the e2e harness). Relative base so the
// same files load from any origin.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // One JS and one CSS file: the CSP allows only 'self' scripts, no inline ones.
    assetsInlineLimit: 0,
  },
});

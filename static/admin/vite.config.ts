import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Forge serves Custom UI resources from a CDN path, so every asset URL must be relative (base './').
// `root` is this folder whatever the working directory: `npm run build:ui` runs from the repo root.
export default defineConfig({
  root: decodeURIComponent(new URL('.', import.meta.url).pathname),
  base: './',
  plugins: [react()],
  build: {
    outDir: 'build',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
});

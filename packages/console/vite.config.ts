import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into dist/, which the Pushline server serves at /console (packages/server/src/http/console/static.ts).
// `npm run dev -w packages/console` serves it with hot reload and sends API calls to a Pushline on :8080.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});

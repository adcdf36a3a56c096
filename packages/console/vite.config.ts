import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// Built into dist/, which the Pushline server serves at /console (packages/server/src/http/console/static.ts).
// `npm run dev -w packages/console` serves it with hot reload and sends API calls to a Pushline on :8080.
// Workspace packages (@pushline/contracts) are read from their TypeScript sources (the "pushline-source"
// export condition), like the console's tsconfig does.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  resolve: { conditions: ['pushline-source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});

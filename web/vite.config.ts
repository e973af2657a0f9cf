import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));
// `npm run dev` starts the API on API_PORT (3000) and this dev server; these paths go to the API.
const apiUrl = process.env.BOXOFFICE_API_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? '3000'}`;
const proxied = ['/api', '/pay', '/healthz', '/readyz', '/metrics'];

export default defineConfig({
  root,
  plugins: [react(), tailwindcss()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    // One file per route group keeps the first load small; the seat map is its own chunk.
    chunkSizeWarningLimit: 700,
    sourcemap: false,
  },
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    strictPort: false,
    proxy: Object.fromEntries(proxied.map((prefix) => [prefix, { target: apiUrl, changeOrigin: false }])),
  },
});

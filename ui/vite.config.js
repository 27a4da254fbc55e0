import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The console is served by `hotline serve` from ui/dist at the site root.
// `npm run dev` proxies the API (and the events WebSocket) to HOTLINE_DEV_API (default 127.0.0.1:8080).
const api = process.env.HOTLINE_DEV_API || 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [vue()],
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  server: {
    proxy: {
      '/api': { target: api, ws: true, changeOrigin: false },
      '/healthz': { target: api },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
});

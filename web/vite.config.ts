// Vite build for the Safeguard web app. The output in dist/ is served by the C++ server
// under a strict Content-Security-Policy (script-src 'self'; style-src 'self'), so the
// build must emit only external scripts and stylesheets: nothing inline.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill is an inline <script>; every browser we support has modulepreload.
    modulePreload: { polyfill: false },
    // Keep every asset a file of its own rather than a data: URL, so that CSP decides
    // by origin alone (font-src 'self' has no data:).
    assetsInlineLimit: 0,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Code used by both apps (the public report pages and the staff app) goes in one
        // chunk named for what it is; code only one of them uses stays in that app's chunk.
        codeSplitting: { groups: [{ name: 'shared', test: /\/src\//, minShareCount: 2 }] },
      },
    },
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev` proxies the API to a running `safeguard serve` so cookies stay
    // same-origin. SG_API_URL overrides the default address.
    proxy: {
      '/api': { target: process.env['SG_API_URL'] ?? 'http://localhost:18080' },
    },
  },
});

/**
 * The renderer's Content-Security-Policy. main sends it as a response header on
 * every app:// file; renderer/index.html carries the same text in its meta tag
 * (a test keeps the two identical), so the browser-only e2e harness enforces it too.
 */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

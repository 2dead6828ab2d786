/** Which Chromium the browser specs drive: Debian's, since `npx playwright install` cannot download here. */
export const CHROMIUM_PATH = process.env.ENVELOCK_CHROMIUM ?? '/usr/bin/chromium';

/** Without the networking flags Chromium tries to reach the internet many times per start. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

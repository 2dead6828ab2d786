/**
 * Who may call the contract: only the app origin's top frame. A subframe, a
 * page that navigated elsewhere, or a frame already gone (null) is refused.
 */
import type { WebFrameMain } from 'electron';
import { isAppUrl } from './policy.js';

export type SenderFrame = Pick<WebFrameMain, 'url' | 'parent'>;

export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (frame === null || frame === undefined) return false;
  try {
    return frame.parent === null && isAppUrl(frame.url);
  } catch {
    // A disposed frame throws on access: not trusted.
    return false;
  }
}

/**
 * A walk through every main screen of docs/UI.md in one session, calling
 * `visit` on each: the accessibility and screenshot specs check the same
 * screens without repeating how to reach them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { PASSPHRASE } from '../test/helpers.js';
import {
  button, confirmRecoveryKeySaved, dialogTitled, fillNewLocker, goToLockers, goToSettings, heading1, lockerItem,
  messages, openDetails, SLOW, submitNewLocker, verifyFromDetails,
} from './flows.js';

export const SCREENS = [
  'lockers-empty',
  'new-locker',
  'recovery-key',
  'lockers-one',
  'details-verify-report',
  'passphrase-dialog',
  'settings',
] as const;
export type Screen = (typeof SCREENS)[number];

const NAME = 'Holiday photos';

export async function tourMainScreens(page: Page, workDir: string, visit: (screen: Screen) => Promise<void>): Promise<void> {
  const home = join(workDir, NAME);
  mkdirSync(join(home, 'beach'), { recursive: true });
  writeFileSync(join(home, 'beach', 'sunset.txt'), 'orange\n');
  writeFileSync(join(home, 'notes.md'), '# trip\n');

  await expect(heading1(page)).toHaveText('Lockers');
  await expect(page.getByRole('heading', { name: 'No lockers yet' })).toBeVisible();
  await visit('lockers-empty');

  await fillNewLocker(page, { folder: home, passphrase: PASSPHRASE });
  await visit('new-locker');

  await submitNewLocker(page);
  await visit('recovery-key');
  await confirmRecoveryKeySaved(page);

  await expect(lockerItem(page, NAME)).toBeVisible();
  await visit('lockers-one');

  await openDetails(page, NAME);
  await verifyFromDetails(page, NAME, PASSPHRASE);
  await visit('details-verify-report');

  // Lock with the remembered passphrase, then ask to unlock: the dialog must ask.
  await button(page, 'Lock').click();
  await expect(messages(page)).toContainText('Locked', { timeout: SLOW });
  await button(page, 'Unlock').click();
  const dialog = dialogTitled(page, `Unlock ${NAME}`);
  await expect(dialog).toBeVisible();
  await visit('passphrase-dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await goToSettings(page);
  await visit('settings');
  await goToLockers(page);
}

/**
 * The user's steps through the window, written once against docs/UI.md: every
 * element is found by its role and accessible name exactly as that contract
 * spells them, so a renamed button fails here, loudly, in one place.
 */
import { expect, type Locator, type Page } from '@playwright/test';

/** Creating a locker calibrates Argon2id first; a lock may seal hundreds of MB. */
export const SLOW = 120_000;

export const heading1 = (page: Page): Locator => page.getByRole('heading', { level: 1 });
export const messages = (page: Page): Locator => page.getByRole('status', { name: 'Messages' });
export const dialogTitled = (page: Page, title: string): Locator => page.getByRole('dialog', { name: title });
export const button = (scope: Page | Locator, name: string): Locator => scope.getByRole('button', { name, exact: true });
export const progressBar = (page: Page): Locator => page.getByRole('progressbar', { name: 'Progress' });

export async function goToLockers(page: Page): Promise<void> {
  await button(page.getByRole('navigation', { name: 'Main' }), 'Lockers').click();
  await expect(heading1(page)).toHaveText('Lockers');
}

export async function goToSettings(page: Page): Promise<void> {
  await button(page.getByRole('navigation', { name: 'Main' }), 'Settings').click();
  await expect(heading1(page)).toHaveText('Settings');
}

export interface NewLocker {
  folder: string;
  passphrase: string;
  /** Typed into "Repeat passphrase"; the passphrase itself when absent. */
  repeat?: string;
  name?: string;
}

/** Lockers → New locker, with the form filled in but not submitted. */
export async function fillNewLocker(page: Page, locker: NewLocker): Promise<void> {
  await button(page, 'New locker').click();
  await expect(heading1(page)).toHaveText('New locker');
  await page.getByRole('textbox', { name: 'Folder to lock', exact: true }).fill(locker.folder);
  if (locker.name !== undefined) await page.getByRole('textbox', { name: 'Locker name', exact: true }).fill(locker.name);
  // Password inputs have no ARIA role: they are found by their label.
  await page.getByLabel('Passphrase', { exact: true }).fill(locker.passphrase);
  await page.getByLabel('Repeat passphrase', { exact: true }).fill(locker.repeat ?? locker.passphrase);
}

/** Submits the New locker form and waits for the recovery key screen; returns the key. */
export async function submitNewLocker(page: Page): Promise<string> {
  await button(page, 'Create locker').click();
  await expect(heading1(page)).toHaveText('Save your recovery key', { timeout: SLOW });
  return (await page.getByTestId('recovery-key').innerText()).trim();
}

/** Ticks the "saved it" box (Done is disabled until then) and returns to Lockers. */
export async function confirmRecoveryKeySaved(page: Page): Promise<void> {
  const done = button(page, 'Done');
  await expect(done).toBeDisabled();
  await page.getByRole('checkbox', { name: 'I have saved my recovery key somewhere safe' }).check();
  await done.click();
  await expect(heading1(page)).toHaveText('Lockers');
}

export async function createLocker(page: Page, locker: NewLocker): Promise<string> {
  await fillNewLocker(page, locker);
  const recoveryKey = await submitNewLocker(page);
  await confirmRecoveryKeySaved(page);
  return recoveryKey;
}

/** The locker's entry in the Lockers list, found by its h2. */
export function lockerItem(page: Page, name: string): Locator {
  return page
    .getByRole('list', { name: 'Lockers' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 2, name, exact: true }) });
}

/** Types into the passphrase dialog titled `title` and presses its `action` button. */
export async function answerPassphrase(page: Page, title: string, action: string, passphrase: string): Promise<void> {
  const dialog = dialogTitled(page, title);
  await dialog.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await button(dialog, action).click();
}

/**
 * Clicks a button whose action may or may not ask for the passphrase (the app
 * uses the one this session remembers when it has it), answers the dialog if
 * it comes, and waits for `finished`.
 */
export async function runAskingIfNeeded(page: Page, trigger: Locator, ask: { title: string; action: string; passphrase: string }, finished: Locator): Promise<void> {
  await trigger.click();
  const dialog = dialogTitled(page, ask.title);
  await expect(dialog.or(finished).first()).toBeVisible({ timeout: SLOW });
  if (await dialog.isVisible()) {
    await answerPassphrase(page, ask.title, ask.action, ask.passphrase);
    await expect(dialog).toBeHidden({ timeout: SLOW });
  }
  await expect(finished).toBeVisible({ timeout: SLOW });
}

/** Lockers list → Lock <name>; done when the entry offers Unlock. */
export async function lockFromList(page: Page, name: string, passphrase: string): Promise<void> {
  await runAskingIfNeeded(page, button(page, `Lock ${name}`), { title: `Lock ${name}`, action: 'Lock', passphrase }, button(page, `Unlock ${name}`));
}

/** Lockers list → Unlock <name> → passphrase dialog; done when the entry offers Lock. */
export async function unlockFromList(page: Page, name: string, passphrase: string): Promise<void> {
  await button(page, `Unlock ${name}`).click();
  await answerPassphrase(page, `Unlock ${name}`, 'Unlock', passphrase);
  await expect(dialogTitled(page, `Unlock ${name}`)).toBeHidden({ timeout: SLOW });
  await expect(button(page, `Lock ${name}`)).toBeVisible({ timeout: SLOW });
}

export async function openDetails(page: Page, name: string): Promise<void> {
  await button(page, `Details of ${name}`).click();
  await expect(heading1(page)).toHaveText(name);
}

/** On the details screen: Verify, done when the "Verify report" section shows. */
export async function verifyFromDetails(page: Page, name: string, passphrase: string): Promise<void> {
  const report = page.getByRole('heading', { level: 2, name: 'Verify report' });
  await runAskingIfNeeded(page, button(page, 'Verify'), { title: `Verify ${name}`, action: 'Verify', passphrase }, report);
}

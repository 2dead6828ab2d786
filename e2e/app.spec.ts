/**
 * The whole life of a locker through the window, on the real engine: what the
 * UI claims is checked on disk (the home folder emptied, every file back
 * byte-identical, a restore equal to the home).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRichTree, PASSPHRASE, snapshotTree } from '../test/helpers.js';
import { expect, skipIfNoChromium, test } from './fixtures.js';
import {
  button, createLocker, dialogTitled, fillNewLocker, goToLockers, heading1, lockFromList, messages, openDetails,
  runAskingIfNeeded, SLOW, unlockFromList, verifyFromDetails,
} from './flows.js';

skipIfNoChromium();

const NAME = 'Projects';
const NEW_PASSPHRASE = 'violet kettle drums across 7 quiet harbors';

test('create, lock, unlock (wrong then right), verify, change passphrase, snapshot and restore', async ({ page, workDir }) => {
  const home = join(workDir, NAME);
  makeRichTree(home);
  const original = snapshotTree(home);

  await test.step('create: the recovery key is shown once', async () => {
    const recoveryKey = await createLocker(page, { folder: home, passphrase: PASSPHRASE });
    expect(recoveryKey).toMatch(/^ELK-/);
    await expect(button(page, `Lock ${NAME}`)).toBeVisible();
  });

  await test.step('lock empties the home folder', async () => {
    await lockFromList(page, NAME, PASSPHRASE);
    expect(readdirSync(home)).toEqual([]);
  });

  await test.step('a wrong passphrase is refused and keeps the dialog open', async () => {
    await button(page, `Unlock ${NAME}`).click();
    const dialog = dialogTitled(page, `Unlock ${NAME}`);
    await dialog.getByLabel('Passphrase', { exact: true }).fill('not the passphrase at all');
    await button(dialog, 'Unlock').click();
    await expect(page.getByRole('alert')).toBeVisible({ timeout: SLOW });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Passphrase', { exact: true })).toHaveValue('');
    expect(readdirSync(home)).toEqual([]);
    await button(dialog, 'Cancel').click();
    await expect(dialog).toBeHidden();
  });

  await test.step('the right passphrase brings every file back, byte-identical', async () => {
    await unlockFromList(page, NAME, PASSPHRASE);
    expect(snapshotTree(home)).toEqual(original);
  });

  await test.step('verify reports that every object authenticates', async () => {
    await openDetails(page, NAME);
    await verifyFromDetails(page, NAME, PASSPHRASE);
    await expect(page.getByRole('main')).toContainText(/All [1-9][\d,]* objects authenticate/);
  });

  await test.step('change the passphrase, lock, and unlock with the new one', async () => {
    await button(page, 'Change passphrase').click();
    const dialog = page.getByRole('dialog').filter({ has: page.getByLabel('Current passphrase', { exact: true }) });
    await dialog.getByLabel('Current passphrase', { exact: true }).fill(PASSPHRASE);
    await dialog.getByLabel('New passphrase', { exact: true }).fill(NEW_PASSPHRASE);
    await dialog.getByLabel('Repeat new passphrase', { exact: true }).fill(NEW_PASSPHRASE);
    await button(dialog, 'Change passphrase').click();
    await expect(dialog).toBeHidden({ timeout: SLOW });
    await expect(messages(page)).toContainText('Passphrase changed');
    await goToLockers(page);
    await lockFromList(page, NAME, NEW_PASSPHRASE);
    expect(readdirSync(home)).toEqual([]);
    await unlockFromList(page, NAME, NEW_PASSPHRASE);
    expect(snapshotTree(home)).toEqual(original);
  });

  await test.step('save a snapshot and restore it to another folder', async () => {
    writeFileSync(join(home, 'written after unlock.txt'), 'a change worth a snapshot\n');
    await openDetails(page, NAME);
    const saved = messages(page).getByText(/Snapshot \d+ saved\./);
    await runAskingIfNeeded(page, button(page, 'Save snapshot'), { title: `Save snapshot ${NAME}`, action: 'Save snapshot', passphrase: NEW_PASSPHRASE }, saved);
    const seq = /Snapshot (\d+) saved/.exec(await saved.innerText())?.[1];

    const snapshots = page.getByRole('heading', { level: 2, name: 'Snapshots' });
    await runAskingIfNeeded(page, button(page, 'Snapshots'), { title: `Snapshots ${NAME}`, action: 'Snapshots', passphrase: NEW_PASSPHRASE }, snapshots);
    await button(page.getByRole('table'), `Restore snapshot ${seq ?? '?'}`).click();

    const target = join(workDir, 'restored here');
    const dialog = page.getByRole('dialog').filter({ has: page.getByRole('textbox', { name: 'Restore to folder' }) });
    await dialog.getByRole('textbox', { name: 'Restore to folder', exact: true }).fill(target);
    await button(dialog, 'Restore').click();
    await expect(messages(page)).toContainText(`to ${target}`, { timeout: SLOW });
    await expect(messages(page)).toContainText(/Restored [\d,]+ files/);
    expect(snapshotTree(target)).toEqual(snapshotTree(home));
  });
});

test('Browse… fills the folder field with the folder the native dialog returns', async ({ page, workDir, harness }) => {
  await button(page, 'New locker').click();
  await harness.queuePickFolder(workDir);
  await button(page, 'Browse…').click();
  await expect(page.getByRole('textbox', { name: 'Folder to lock', exact: true })).toHaveValue(workDir);
});

test('weak and mismatching passphrases are refused at create', async ({ page, workDir, harness }) => {
  const home = join(workDir, 'Weak');
  makeRichTree(home);
  await expect(heading1(page)).toHaveText('Lockers');

  const submitIfAllowed = async (): Promise<void> => {
    // docs/UI.md says "refused with the hint as the reason": a disabled button is a refusal too.
    const create = button(page, 'Create locker');
    if (await create.isEnabled()) await create.click();
  };

  await fillNewLocker(page, { folder: home, passphrase: 'password12' });
  await expect(page.getByRole('meter', { name: 'Passphrase strength' })).toBeVisible();
  await expect(page.getByText('Strength: weak')).toBeVisible();
  await submitIfAllowed();
  await expect(page.getByText(/Too easy to guess/).first()).toBeVisible();

  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Repeat passphrase', { exact: true }).fill(`${PASSPHRASE}!`);
  await submitIfAllowed();
  await expect(page.getByText('The passphrases differ.').first()).toBeVisible();

  await expect(heading1(page)).toHaveText('New locker');
  const listed = await harness.call('listLockers', {});
  expect(listed).toEqual({ ok: true, value: [] });
  expect(readdirSync(home).length).toBeGreaterThan(0);
});

// Moderators sign in by an emailed link and work the queue with the keyboard
// alone; every page they use passes axe (WCAG 2.2 AA) in both languages, and an
// organizer's markup comes back as text.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import {
  axeViolations, describeViolations, launch, loads, newPage, screenshotPath, t, url,
} from './browser.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MOD = 'e2e-mod@example.org';
let browser;
let fixtures;
let revisions;

before(async () => {
  fixtures = join(mkdtempSync(join(tmpdir(), 'belong-e2e-')), 'fixtures');
  execFileSync('go', ['build', '-o', fixtures, './e2e/fixtures'], { cwd: ROOT, stdio: 'inherit' });
  revisions = JSON.parse(execFileSync(fixtures, ['prepare'], { encoding: 'utf8' }));
  browser = await launch();
});
after(async () => { await browser?.close(); });

// focusByTab presses Tab until the focused element matches selector.
async function focusByTab(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

async function assertAxeClean(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations.map((v) => v.id), [], `${what}:\n${describeViolations(violations)}`);
}

// signIn does what a moderator does, with the keyboard: ask for a link, open it
// from the email, press the button.
async function signIn(page, ui) {
  await page.goto(url(`/sign-in?ui=${ui}`));
  await focusByTab(page, '#f-email');
  await page.keyboard.type(MOD);
  await loads(page, page.keyboard.press('Enter'));
  assert.equal(await page.locator('h1').innerText(), t(ui, 'signin.sent.title'));
  const link = execFileSync(fixtures, ['link', MOD], { encoding: 'utf8' }).trim();
  await page.goto(url(link));
  await focusByTab(page, 'main button[type=submit]');
  await loads(page, page.keyboard.press('Enter'));
  assert.equal(new URL(page.url()).pathname, '/moderate');
}

for (const ui of ['en', 'es']) {
  test(`sign-in pages pass axe and set no cookie until signed in (${ui})`, async () => {
    const { context, page } = await newPage(browser);
    await page.goto(url(`/sign-in?ui=${ui}`));
    await assertAxeClean(page, `sign-in (${ui})`);
    // A refused address, with its error next to the field.
    await page.getByLabel(t(ui, 'signin.email')).fill('not an address');
    await loads(page, page.getByRole('button', { name: t(ui, 'signin.send') }).click());
    await assertAxeClean(page, `sign-in with an error (${ui})`);
    assert.deepEqual(await context.cookies(), [], 'no cookie before signing in');
    await context.close();
  });
}

test('a moderator signs in, reviews and decides with the keyboard alone; every page passes axe', async () => {
  const { context, page } = await newPage(browser);
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
  await signIn(page, 'en');
  const cookies = await context.cookies();
  assert.equal(cookies.length, 1);
  assert.equal(cookies[0].name, 'belong_session');
  assert.ok(cookies[0].httpOnly, 'HttpOnly');
  assert.equal(cookies[0].sameSite, 'Lax');

  for (const ui of ['en', 'es']) {
    await page.goto(url(`/moderate?ui=${ui}`));
    await assertAxeClean(page, `the queue (${ui})`);
    await page.goto(url(`/moderate/revisions/${revisions.new}?ui=${ui}`));
    await assertAxeClean(page, `a new listing (${ui})`);
    await page.goto(url(`/moderate/revisions/${revisions.edit}?ui=${ui}`));
    await assertAxeClean(page, `the diff of an edit (${ui})`);
  }
  await page.goto(url('/moderate?ui=en'));
  await page.screenshot({ path: screenshotPath('moderate'), fullPage: true });

  // The organizer's markup is text on the page, never run.
  await page.goto(url(`/moderate/revisions/${revisions.new}?ui=en`));
  assert.match(await page.locator('h1').innerText(), /<script>alert\(1\)<\/script>/);
  assert.equal(dialogs, 0, 'no script of the organizer ran');

  // Decline with a reason, by keyboard; an empty reason first is refused.
  await focusByTab(page, 'form.decision button.secondary');
  await loads(page, page.keyboard.press('Enter'));
  assert.equal(await page.locator('#f-reason-error').innerText(), t('en', 'moderate.reason.required'));
  await assertAxeClean(page, 'a decline without a reason');
  await focusByTab(page, '#f-reason');
  await page.keyboard.type('Please say where the group meets.');
  await focusByTab(page, 'form.decision button.secondary');
  await loads(page, page.keyboard.press('Enter'));
  assert.equal(await page.locator('[role=status]').innerText(), t('en', 'moderate.done.declined'));

  // Approve the edit, by keyboard, after reading its diff.
  await page.goto(url(`/moderate/revisions/${revisions.edit}?ui=en`));
  assert.match(await page.locator('table.diff').innerText(), /Now meeting by the river/);
  await page.screenshot({ path: screenshotPath('moderate-diff'), fullPage: true });
  await focusByTab(page, 'form.decision button:not(.secondary)');
  await loads(page, page.keyboard.press('Enter'));
  assert.equal(await page.locator('[role=status]').innerText(), t('en', 'moderate.done.approved'));

  // Sign out on every device, by keyboard.
  await focusByTab(page, 'nav.staff form[action^="/sign-out/everywhere"] button');
  await loads(page, page.keyboard.press('Enter'));
  const back = await page.goto(url('/moderate'));
  assert.equal(new URL(back.url()).pathname, '/sign-in');
  await context.close();
});

test('the change history and the listing criteria pass axe in both languages', async () => {
  const { context, page } = await newPage(browser);
  const slug = (await (await fetch(url('/api/v1/listings?per_page=1'))).json()).hits[0].slug;
  for (const ui of ['en', 'es']) {
    await page.goto(url(`/groups/${slug}?ui=${ui}`));
    await loads(page, page.getByRole('link', { name: t(ui, 'history.link') }).click());
    assert.equal(new URL(page.url()).pathname, `/groups/${slug}/history`);
    await assertAxeClean(page, `the history (${ui})`);
    await loads(page, page.getByRole('link', { name: t(ui, 'criteria.link') }).click());
    await assertAxeClean(page, `the criteria (${ui})`);
  }
  assert.deepEqual(await context.cookies(), []);
  await context.close();
});

// An organizer lists a group without an account and without JavaScript, using the
// schedule builder by keyboard alone; the email's private link confirms the
// address; a moderator approves; the group is public. Every page of the way
// passes axe (WCAG 2.2 AA) in both languages, and nobody gets a cookie.
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
let browser;
let fixtures;

before(async () => {
  fixtures = join(mkdtempSync(join(tmpdir(), 'belong-e2e-')), 'fixtures');
  execFileSync('go', ['build', '-o', fixtures, './e2e/fixtures'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(fixtures, ['prepare'], { encoding: 'utf8' });
  browser = await launch();
});
after(async () => { await browser?.close(); });

async function assertAxeClean(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations.map((v) => v.id), [], `${what}:\n${describeViolations(violations)}`);
}

async function focusByTab(page, selector, max = 400) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

for (const ui of ['en', 'es']) {
  test(`the submit form passes axe empty and with errors, and keeps what was typed (${ui})`, async () => {
    const { context, page } = await newPage(browser);
    await page.goto(url(`/submit?ui=${ui}`));
    assert.equal(await page.locator('h1').innerText(), t(ui, 'submit.title'));
    await assertAxeClean(page, `the empty submit form (${ui})`);
    await page.locator('#f-name').fill('Café <b>de</b> los martes');
    await loads(page, page.locator('form.submit button[type=submit]').click());
    const summary = page.locator('#problems');
    assert.ok(await summary.isVisible(), 'a summary of what needs a look');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'problems', 'the summary has the focus');
    assert.equal(await page.locator('#f-name').inputValue(), 'Café <b>de</b> los martes');
    assert.match(await summary.innerText(), new RegExp(t(ui, 'submit.field.contact_email')));
    await page.locator('#problems a[href="#f-contact-email"]').click();
    await assertAxeClean(page, `the submit form with errors (${ui})`);
    await page.screenshot({ path: screenshotPath(`submit-errors-${ui}`), fullPage: false });
    assert.deepEqual(await context.cookies(), []);
    await context.close();
  });
}

test('submit by keyboard without JavaScript, confirm by email, approved by a moderator, public', async () => {
  const name = `Keyboard circle ${Date.now()}`;
  const contact = `organizer-${Date.now()}@example.org`;
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(url('/submit?ui=en'));
  await focusByTab(page, '#f-name');
  await page.keyboard.type(name);
  await focusByTab(page, '#f-place-city');
  await page.keyboard.type('Chicago');
  await focusByTab(page, '#f-place-country');
  await page.keyboard.type('US');
  // The schedule builder, by keyboard: every other week, on Tuesdays and Thursdays.
  await focusByTab(page, '#f-schedules-0-pattern');
  await page.keyboard.press('ArrowDown'); // every week
  await page.keyboard.press('ArrowDown'); // every other week
  assert.equal(await page.locator('#f-schedules-0-pattern').inputValue(), 'biweekly');
  await focusByTab(page, '#f-schedules-0-days-TU');
  await page.keyboard.press('Space');
  await focusByTab(page, '#f-schedules-0-days-TH');
  await page.keyboard.press('Space');
  await focusByTab(page, '#f-schedules-0-opens');
  await page.keyboard.type('0630PM');
  await focusByTab(page, '#f-schedules-0-closes');
  await page.keyboard.type('0800PM');
  await focusByTab(page, '#f-schedules-0-zone');
  await page.keyboard.type('America/Chicago');
  await focusByTab(page, '#f-contact-email');
  await page.keyboard.type(contact);
  await loads(page, page.keyboard.press('Enter'));
  assert.equal(await page.locator('h1').innerText(), t('en', 'submit.sent.title'));

  // The organizer opens the private link from the email. (axe runs in a page
  // with scripts: it is a script itself.)
  const link = execFileSync(fixtures, ['link', contact], { encoding: 'utf8' }).trim();
  await page.goto(url(link + '?ui=es'));
  assert.equal(await page.locator('h1').innerText(), t('es', 'manage.title'));
  const checker = await newPage(browser);
  for (const ui of ['es', 'en']) {
    await checker.page.goto(url(`${link}?ui=${ui}`));
    await assertAxeClean(checker.page, `the manage page (${ui})`);
  }
  await checker.page.screenshot({ path: screenshotPath('manage-en'), fullPage: true });
  assert.deepEqual(await context.cookies(), [], 'an organizer never gets a cookie');
  assert.deepEqual(await checker.context.cookies(), [], 'an organizer never gets a cookie');
  await checker.context.close();

  // A moderator approves it.
  const mod = await newPage(browser);
  await mod.page.goto(url('/sign-in?ui=en'));
  await mod.page.locator('#f-email').fill('e2e-mod@example.org');
  await loads(mod.page, mod.page.locator('main button[type=submit]').click());
  await mod.page.goto(url(execFileSync(fixtures, ['link', 'e2e-mod@example.org'], { encoding: 'utf8' }).trim()));
  await loads(mod.page, mod.page.locator('main button[type=submit]').click());
  await mod.page.goto(url('/moderate?ui=en'));
  await loads(mod.page, mod.page.getByRole('link', { name }).click());
  await loads(mod.page, mod.page.locator('form.decision button:not(.secondary)').click());
  assert.equal(await mod.page.locator('[role=status]').innerText(), t('en', 'moderate.done.approved'));
  await mod.context.close();

  // Public now: the manage page says so and links the group's page.
  await page.goto(url(link + '?ui=en'));
  await loads(page, page.getByRole('link', { name: t('en', 'manage.view_public') }).click());
  assert.equal(await page.locator('h1').innerText(), name);
  await context.close();
});

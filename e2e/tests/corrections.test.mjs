// Anyone corrects a listing without an account, an email address or a cookie,
// and follows it on a private page; the organizer answers from the email with one
// click, and the sender's page says "applied". An organizer's edit reaches search
// only after a moderator approves it, reading a field-by-field diff. The
// correction form (empty and with errors) and the status page pass axe (WCAG 2.2
// AA) in both languages, with JavaScript on and as served to a browser without it.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
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

before(async () => {
  fixtures = join(mkdtempSync(join(tmpdir(), 'belong-e2e-')), 'fixtures');
  execFileSync('go', ['build', '-o', fixtures, './e2e/fixtures'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(fixtures, ['prepare'], { encoding: 'utf8' }); // the moderators' accounts
  browser = await launch();
});
after(async () => { await browser?.close(); });

const published = () => JSON.parse(execFileSync(fixtures, ['published'], { encoding: 'utf8' }));
const emailedLink = (to) => execFileSync(fixtures, ['link', to], { encoding: 'utf8' }).trim();

async function assertAxeClean(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations.map((v) => v.id), [], `${what}:\n${describeViolations(violations)}`);
}

// assertAxeCleanWithoutJS checks the page a browser without JavaScript shows:
// its document as served, scripts taken out, in a page where axe (a script
// itself) can run.
async function assertAxeCleanWithoutJS(html, pageURL, what) {
  const { context, page } = await newPage(browser);
  await page.route((u) => u.href === pageURL, (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8', body: html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, ''),
  }));
  await page.goto(pageURL);
  await assertAxeClean(page, `${what}, without JavaScript`);
  await context.close();
}

async function signIn(page) {
  await page.goto(url('/sign-in?ui=en'));
  await page.locator('#f-email').fill(MOD);
  await loads(page, page.locator('main button[type=submit]').click());
  await page.goto(url(emailedLink(MOD)));
  await loads(page, page.locator('main button[type=submit]').click());
  assert.equal(new URL(page.url()).pathname, '/moderate');
}

test('a correction without JavaScript: sent from the listing, answered by the organizer in one click, shown as applied', async () => {
  const group = published();
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(url(`/groups/${group.slug}?ui=en`));
  await loads(page, page.getByRole('link', { name: t('en', 'listing.correction') }).click());
  assert.equal(await page.locator('h1').innerText(), t('en', 'correction.title', group.name));
  await page.getByLabel(t('en', 'correction.kind.time')).check();
  await page.getByLabel(t('en', 'correction.text')).fill('It starts at 19:00 now. <b>Thanks</b>');
  await loads(page, page.getByRole('button', { name: t('en', 'correction.send') }).click());
  assert.equal(await page.locator('h1').innerText(), t('en', 'correction.status.title'));
  assert.equal(await page.locator('[role=status]').innerText(), t('en', 'correction.sent'));
  assert.match(await page.locator('main').innerText(), new RegExp(t('en', 'correction.state.received').slice(0, 20)));
  assert.match(await page.locator('main').innerText(), /<b>Thanks<\/b>/, 'what was typed is shown as text');
  const status = page.url();
  assert.equal(await page.locator('#f-status-link').inputValue(), status.replace('&sent=1', ''));
  await page.screenshot({ path: screenshotPath('correction-status'), fullPage: true });
  assert.deepEqual(await context.cookies(), [], 'the sender never gets a cookie');

  // The organizer opens the first link of the email: a page with one button.
  const organizer = await newPage(browser, { javaScriptEnabled: false });
  const link = emailedLink(group.contact);
  assert.match(link, /^\/manage\/[A-Za-z0-9_-]{43}\/corrections\/[0-9a-f-]{36}\?ui=en$/);
  await organizer.page.goto(url(link));
  assert.equal(await organizer.page.locator('h1').innerText(), t('en', 'manage.correction.title'));
  assert.match(await organizer.page.locator('blockquote').innerText(), /It starts at 19:00 now\. <b>Thanks<\/b>/);
  await page.reload();
  assert.match(await page.locator('main').innerText(), new RegExp(t('en', 'correction.state.received').slice(0, 20)),
    'opening the link changes nothing');
  const checker = await newPage(browser);
  for (const ui of ['en', 'es']) {
    await checker.page.goto(url(link.replace('ui=en', `ui=${ui}`)));
    await assertAxeClean(checker.page, `the organizer's page of a correction (${ui})`);
    await checker.page.screenshot({ path: screenshotPath(`manage-correction-${ui}`), fullPage: true });
    await checker.page.goto(url(link.replace(/\/corrections\/.*/, `?ui=${ui}`)));
    assert.equal(await checker.page.locator('#corrections').innerText(), t(ui, 'manage.corrections'));
    await assertAxeClean(checker.page, `the manage page with a correction (${ui})`);
  }
  await checker.context.close();
  await loads(organizer.page, organizer.page.getByRole('button', { name: t('en', 'manage.confirm') }).click());
  assert.equal(await organizer.page.locator('[role=status]').innerText(), t('en', 'manage.done.corrected'));
  assert.deepEqual(await organizer.context.cookies(), []);
  await organizer.context.close();

  // The sender's page, in either language, says it was checked, and how: the
  // listing was confirmed as it is, so it does not say "applied".
  await page.goto(status.replace('ui=en', 'ui=es'));
  const text = await page.locator('main').innerText();
  assert.match(text, new RegExp(t('es', 'correction.state.checked')));
  assert.doesNotMatch(text, new RegExp(t('es', 'correction.state.applied')));
  assert.match(text, new RegExp(t('es', 'correction.resolution.confirmed')));
  await context.close();
});

test('an organizer edit waits for a moderator, who reads the diff and approves it; then search finds the new text', async () => {
  const group = published();
  const word = `kettle${group.word}`;
  const summary = `Now with a quiet room for newcomers, ${word}.`;
  // The search index follows the outbox only while a worker runs.
  const worker = spawn(join(ROOT, 'bin/belong'), ['worker'], { cwd: ROOT, stdio: 'ignore' });
  try {
    const { context, page } = await newPage(browser, { javaScriptEnabled: false });
    await page.goto(url('/manage?ui=en'));
    await page.getByLabel(t('en', 'manage.request.email')).fill(group.contact);
    await loads(page, page.getByRole('button', { name: t('en', 'manage.request.send') }).click());
    await page.goto(url(emailedLink(group.contact)));
    await loads(page, page.getByRole('link', { name: t('en', 'manage.edit') }).click());
    assert.equal(await page.locator('#f-summary').inputValue(), group.summary);
    await page.locator('#f-summary').fill(summary);
    await loads(page, page.getByRole('button', { name: t('en', 'manage.edit.send') }).click());
    assert.equal(await page.locator('[role=status]').innerText(), t('en', 'manage.done.edit'));
    await context.close();

    // Not public yet: the public page keeps the published summary.
    const visitor = await newPage(browser);
    await visitor.page.goto(url(`/groups/${group.slug}?ui=en`));
    assert.doesNotMatch(await visitor.page.locator('main').innerText(), new RegExp(word));

    const mod = await newPage(browser);
    await signIn(mod.page);
    await loads(mod.page, mod.page.getByRole('link', { name: group.name }).click());
    const diff = mod.page.locator('table.diff');
    const row = diff.locator('tr').filter({ has: mod.page.locator('th', { hasText: t('en', 'moderate.field.summary') }) });
    assert.equal(await row.locator('td.before').innerText(), group.summary);
    assert.equal(await row.locator('td.after').innerText(), summary);
    assert.equal(await diff.locator('tbody tr').count(), 1, 'only the changed field is listed');
    await assertAxeClean(mod.page, 'the diff of an organizer edit');
    await mod.page.screenshot({ path: screenshotPath('edit-diff'), fullPage: true });
    await loads(mod.page, mod.page.locator('form.decision button:not(.secondary)').click());
    assert.equal(await mod.page.locator('[role=status]').innerText(), t('en', 'moderate.done.approved'));
    await mod.context.close();

    // Search finds the new text once the worker has indexed the approval.
    const deadline = Date.now() + 90_000;
    let hits = [];
    while (Date.now() < deadline) {
      hits = (await (await fetch(url(`/api/v1/listings?q=${word}`))).json()).hits ?? [];
      if (hits.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.deepEqual(hits.map((h) => h.slug), [group.slug], 'search finds the edited listing by its new words');
    await visitor.page.goto(url(`/?ui=en&q=${word}`));
    assert.match(await visitor.page.locator('#results').innerText(), new RegExp(summary.replace(/[.,]/g, '.')));
    await visitor.page.goto(url(`/groups/${group.slug}?ui=en`));
    assert.match(await visitor.page.locator('main').innerText(), new RegExp(word));
    await visitor.context.close();
  } finally {
    worker.kill('SIGTERM');
  }
});

test('a moderator declines a correction with a reason, and the sender reads it; the pages pass axe', async () => {
  const group = published();
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(url(`/groups/${group.slug}/correction?ui=es`));
  await page.getByLabel(t('es', 'correction.kind.closed')).check();
  await page.getByLabel(t('es', 'correction.text')).fill('Ya no se reúnen <i>nunca</i>.');
  await loads(page, page.getByRole('button', { name: t('es', 'correction.send') }).click());
  const status = page.url();

  const mod = await newPage(browser);
  let dialogs = 0;
  mod.page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
  await signIn(mod.page);
  for (const ui of ['en', 'es']) {
    await mod.page.goto(url(`/moderate?ui=${ui}`));
    assert.equal(await mod.page.locator('#corrections').innerText(), t(ui, 'moderate.corrections'));
    await assertAxeClean(mod.page, `the queue with corrections (${ui})`);
  }
  await loads(mod.page, mod.page.locator('table.queue a', { hasText: group.name }).last().click());
  assert.match(await mod.page.locator('blockquote').innerText(), /Ya no se reúnen <i>nunca<\/i>\./);
  await assertAxeClean(mod.page, 'a correction for moderators');
  await loads(mod.page, mod.page.getByRole('button', { name: t('es', 'moderate.decline') }).click());
  assert.equal(await mod.page.locator('#f-reason-error').innerText(), t('es', 'moderate.correction.reason.required'));
  await assertAxeClean(mod.page, 'a correction declined without a reason');
  await mod.page.screenshot({ path: screenshotPath('moderate-correction'), fullPage: true });
  await mod.page.getByLabel(t('es', 'moderate.reason')).fill('Se reúnen: lo confirmamos por teléfono el lunes.');
  await loads(mod.page, mod.page.getByRole('button', { name: t('es', 'moderate.decline') }).click());
  assert.equal(await mod.page.locator('[role=status]').innerText(), t('es', 'moderate.done.correction_declined'));
  assert.equal(dialogs, 0, 'nothing the sender typed ran');
  await mod.context.close();

  await page.goto(status);
  const text = await page.locator('main').innerText();
  assert.match(text, new RegExp(t('es', 'correction.state.declined')));
  assert.match(text, /Se reúnen: lo confirmamos por teléfono el lunes\./);
  assert.deepEqual(await context.cookies(), []);
  await context.close();
});

// servedWithoutJS is what a browser without JavaScript shows at pageURL.
async function servedWithoutJS(pageURL) {
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(pageURL);
  const html = await page.content();
  await context.close();
  return html;
}

for (const ui of ['en', 'es']) {
  test(`the correction form, empty and with errors, and the status page pass axe with and without JavaScript (${ui})`, async () => {
    const group = published();
    const formURL = url(`/groups/${group.slug}/correction?ui=${ui}`);
    const { context, page } = await newPage(browser);
    await page.goto(formURL);
    await assertAxeClean(page, `the empty correction form (${ui})`);
    await assertAxeCleanWithoutJS(await servedWithoutJS(formURL), formURL, `the empty correction form (${ui})`);

    // Nothing chosen, nothing written: both problems, linked from the summary.
    const refused = await loads(page, page.getByRole('button', { name: t(ui, 'correction.send') }).click());
    assert.equal(refused.status(), 422);
    assert.equal(await page.locator('#problems a').count(), 2);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'problems', 'the summary has the focus');
    assert.equal(await page.locator('#f-kind-error').innerText(), t(ui, 'correction.kind.required'));
    assert.equal(await page.locator('#f-text-error').innerText(), t(ui, 'correction.text.required'));
    await assertAxeCleanWithoutJS(await refused.text(), page.url(), `the correction form with errors (${ui})`);
    await page.locator('#problems a[href="#f-text"]').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-text', 'the summary leads to the field');
    await assertAxeClean(page, `the correction form with errors (${ui})`);
    await page.screenshot({ path: screenshotPath(`correction-errors-${ui}`), fullPage: true });

    await page.getByLabel(t(ui, 'correction.kind.access')).check();
    await page.getByLabel(t(ui, 'correction.text')).fill('The lift has been out of order for weeks.');
    await loads(page, page.getByRole('button', { name: t(ui, 'correction.send') }).click());
    assert.equal(await page.locator('h1').innerText(), t(ui, 'correction.status.title'));
    await assertAxeClean(page, `the status page (${ui})`);
    await assertAxeCleanWithoutJS(await servedWithoutJS(page.url()), page.url(), `the status page (${ui})`);
    assert.deepEqual(await context.cookies(), []);
    await context.close();
  });
}

test('a forged status link is a helpful 404 that passes axe', async () => {
  const { context, page } = await newPage(browser);
  const response = await page.goto(url(`/corrections/${'A'.repeat(43)}?ui=es`));
  assert.equal(response.status(), 404);
  assert.equal(await page.locator('h1').innerText(), t('es', 'correction.notfound.title'));
  await assertAxeClean(page, 'a forged status link');
  await context.close();
});

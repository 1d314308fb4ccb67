// Referral lists: someone builds a list from search results with JavaScript
// off and without signing in, shares it, and the person opens it in Spanish in
// a fresh browser: the page, the print view, the QR code (decoded here back to
// the link) and the text message. A signed-in peer worker turns follow-up on,
// the person marks a group, and the worker sees the mark. axe checks every
// page of it in both languages.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import {
  BASE, axeViolations, describeViolations, launch, loads, newPage, plural, t, url,
} from './browser.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PEER = 'e2e-peer@example.org';
let browser;
let fixtures;

before(async () => {
  fixtures = join(mkdtempSync(join(tmpdir(), 'belong-e2e-')), 'fixtures');
  execFileSync('go', ['build', '-o', fixtures, './e2e/fixtures'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(fixtures, ['account', PEER, 'peer'], { encoding: 'utf8' });
  browser = await launch();
});
after(async () => { await browser?.close(); });

async function assertAxeClean(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations.map((v) => v.id), [], `${what}:\n${describeViolations(violations)}`);
}

// addFromSearch follows the first "Add to list" link of the search results
// that is not on the list yet, and returns the group's name.
async function addFromSearch(page) {
  const card = page.locator('#results li.card').filter({ has: page.locator('.add-to-list a') }).first();
  const name = (await card.locator(':is(h3, h4) a').innerText()).trim();
  await loads(page, card.locator('.add-to-list a').click());
  assert.equal(new URL(page.url()).pathname, '/list');
  return name;
}

async function groupNames(page, selector) {
  return (await page.locator(selector).allInnerTexts()).map((s) => s.trim());
}

// share fills in the builder and shares; it returns what the share page shows.
async function share(page, { lang, note, followUp = false }) {
  await page.getByLabel(t(lang, 'language.self'), { exact: true }).check();
  if (note) await page.getByLabel(t('en', 'referral.builder.note')).fill(note);
  if (followUp) await page.getByLabel(t('en', 'referral.builder.follow_up')).check();
  await loads(page, page.getByRole('button', { name: t('en', 'referral.builder.share') }).click());
  assert.match(new URL(page.url()).pathname, /^\/r\/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}\/share$/);
  return {
    code: (await page.locator('#share-code').innerText()).trim(),
    link: (await page.locator('#list-link').innerText()).trim(),
    text: await page.locator('#sms').inputValue(),
  };
}

async function signIn(page) {
  await page.goto(url('/sign-in?ui=en'));
  await page.getByLabel(t('en', 'signin.email')).fill(PEER);
  await loads(page, page.getByRole('button', { name: t('en', 'signin.send') }).click());
  const link = execFileSync(fixtures, ['link', PEER], { encoding: 'utf8' }).trim();
  await page.goto(url(link));
  await loads(page, page.locator('main button[type=submit]').click());
  assert.equal(new URL(page.url()).pathname, '/lists');
}

let shared; // the anonymous list, for the axe checks

test('without signing in and with JavaScript off, a list is built from search results, shared, and opens in Spanish elsewhere', async () => {
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(url('/?ui=en'));
  const first = await addFromSearch(page);
  assert.deepEqual(await groupNames(page, '.list-group-name'), [first]);
  // Back to the search, which now carries the list, for a second group.
  await loads(page, page.getByRole('link', { name: t('en', 'referral.builder.more') }).click());
  assert.equal(await page.locator('#list-banner').isVisible(), true);
  const second = await addFromSearch(page);
  assert.notEqual(first, second);
  assert.deepEqual(await groupNames(page, '.list-group-name'), [first, second]);
  await loads(page, page.getByRole('button', { name: t('en', 'referral.builder.up') }).filter({ hasText: second }).click());
  assert.deepEqual(await groupNames(page, '.list-group-name'), [second, first]);

  const note = 'Ask for Sam at the side door <script>alert("x")</script>';
  shared = await share(page, { lang: 'es', note });
  assert.equal(shared.link, `${BASE}/r/${shared.code}`);
  assert.ok([...shared.text].length < 300, `the text message has ${[...shared.text].length} characters`);
  assert.ok(shared.text.includes(shared.link), 'the text message holds the link');
  assert.deepEqual(await context.cookies(), [], 'no cookie for someone not signed in');
  await context.close();

  // The person opens the link in a browser of their own.
  const them = await newPage(browser, { javaScriptEnabled: false, locale: 'en-US' });
  const response = await them.page.goto(shared.link);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['cache-control'], 'no-store');
  assert.equal(await them.page.locator('html').getAttribute('lang'), 'es');
  assert.equal(await them.page.locator('h1').innerText(), t('es', 'referral.title'));
  assert.deepEqual(await groupNames(them.page, '.referral-group > h2'), [second, first]);
  assert.equal((await them.page.locator('.referral-note .note').innerText()).trim(), note, 'the note comes back as text');
  assert.equal(await them.page.locator('main script').count(), 0);
  assert.equal(await them.page.locator('.mark-form').count(), 0, 'no follow-up unless turned on');

  const print = await them.page.goto(shared.link + '/print');
  assert.equal(print.status(), 200);
  assert.equal(await them.page.locator('html').getAttribute('lang'), 'es');
  assert.deepEqual(await groupNames(them.page, '.booklet-group > h2'), [second, first]);
  assert.match(await them.page.locator('.booklet').innerText(), new RegExp(shared.code));
  // On a narrow screen the link and code wrap beside or under the QR code.
  await them.page.setViewportSize({ width: 320, height: 640 });
  const [scroll, client] = await them.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `the print view is ${scroll} px wide at 320 px`);

  // The QR code decodes back to the link, and to nothing more.
  const png = await them.page.request.get(shared.link + '/qr.png');
  assert.equal(png.headers()['content-type'], 'image/png');
  const img = PNG.sync.read(await png.body());
  const decoded = jsQR(new Uint8ClampedArray(img.data), img.width, img.height);
  assert.ok(decoded, 'the QR code decodes');
  assert.equal(decoded.data, shared.link);

  const text = await them.page.request.get(shared.link + '/text');
  const body = await text.text();
  assert.ok([...body].length < 300 && body.includes(shared.link), body);
  assert.deepEqual(await them.context.cookies(), []);

  // A code read aloud and typed in lower case without dashes opens the same list.
  await them.page.goto(url('/r/' + shared.code.toLowerCase().replaceAll('-', '')));
  assert.deepEqual(await groupNames(them.page, '.referral-group > h2'), [second, first]);
  // One that opens nothing gets the kind page with a way back to search.
  const gone = await them.page.goto(url('/r/ZZZZ-ZZZZ-ZZZZZ?ui=es'));
  assert.equal(gone.status(), 404);
  assert.equal(await them.page.locator('h1').innerText(), t('es', 'referral.gone.title'));
  assert.equal(await them.page.getByRole('link', { name: t('es', 'referral.gone.back') }).count(), 1);
  await them.context.close();
});

test('a signed-in peer worker turns follow-up on, the person marks a group, and the worker sees the mark', async () => {
  const worker = await newPage(browser);
  await signIn(worker.page);
  await worker.page.goto(url('/?ui=en'));
  const name = await addFromSearch(worker.page);
  const list = await share(worker.page, { lang: 'en', followUp: true });

  const person = await newPage(browser, { javaScriptEnabled: false });
  await person.page.goto(list.link);
  assert.match(await person.page.locator('.follow-up').innerText(), /optional/);
  const group = person.page.locator('.referral-group').first();
  await group.getByLabel(t('en', 'referral.mark.went')).check();
  await loads(person.page, group.getByRole('button', { name: t('en', 'referral.mark.save') }).filter({ hasText: name }).click());
  assert.equal(await person.page.locator('[role=status]').innerText(), t('en', 'referral.done.marked'));
  assert.equal(await group.getByLabel(t('en', 'referral.mark.went')).isChecked(), true);
  assert.deepEqual(await person.context.cookies(), [], 'a mark sets no cookie');
  await person.context.close();

  for (const ui of ['en', 'es']) {
    await worker.page.goto(url(`/lists?ui=${ui}`));
    const kept = worker.page.locator('.kept-list').filter({ hasText: list.code });
    assert.equal(await kept.count(), 1);
    assert.match(await kept.locator('table').innerText(), new RegExp(t(ui, 'referral.mark.went')));
    await assertAxeClean(worker.page, `the dashboard (${ui})`);
  }
  for (const ui of ['en', 'es']) {
    await worker.page.goto(url(`/r/${list.code}?ui=${ui}`));
    await assertAxeClean(worker.page, `a list with follow-up (${ui})`);
  }
  await worker.context.close();
});

for (const ui of ['en', 'es']) {
  test(`axe: the list builder, the share page, the recipient page and the print page pass WCAG 2.2 AA (${ui})`, async () => {
    assert.ok(shared, 'the anonymous list was shared');
    const { context, page } = await newPage(browser);
    await page.goto(url(`/?ui=${ui}`));
    await addFromSearch(page);
    await loads(page, page.getByRole('link', { name: t(ui, 'referral.builder.more') }).click());
    await addFromSearch(page);
    assert.equal(await page.locator('h2#groups-heading').innerText(), plural(ui, 'referral.builder.count', 2));
    await assertAxeClean(page, `the builder (${ui})`);
    // A refused list, with its message next to the note.
    await page.getByLabel(t(ui, 'referral.builder.note')).evaluate((el) => { el.removeAttribute('maxlength'); });
    await page.getByLabel(t(ui, 'referral.builder.note')).fill('x'.repeat(400));
    await loads(page, page.getByRole('button', { name: t(ui, 'referral.builder.share') }).click());
    assert.equal(await page.locator('#f-note-error').innerText(), t(ui, 'referral.error.note_long'));
    await assertAxeClean(page, `the builder with a problem (${ui})`);
    for (const [what, path] of [['share page', `/r/${shared.code}/share?ui=${ui}`], ['recipient page', `/r/${shared.code}?ui=${ui}`],
      ['print page', `/r/${shared.code}/print?ui=${ui}`], ['gone page', `/r/ZZZZ-ZZZZ-ZZZZZ?ui=${ui}`]]) {
      await page.goto(url(path));
      assert.equal(await page.locator('html').getAttribute('lang'), ui, path);
      await assertAxeClean(page, `the ${what} (${ui})`);
    }
    await context.close();
  });
}

// The main path: a person chooses what would help, finds a group, adds it to a
// calendar and reads its page in Spanish.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import {
  TYPICAL_LANG, TYPICAL_NEEDS, api, launch, loads, needLabels, newPage, plural, resultSlugs, search, t,
  typicalQuery, url, CARDS, CARD_LINK, expectedSlugs,
} from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a person picks three needs and a language, opens a group, downloads its .ics and reads it in Spanish', async () => {
  const { context, page } = await newPage(browser);
  const en = await needLabels('en');
  const es = await needLabels('es');

  // Choose three needs and a language on the form, then press "Show spaces".
  await search(page, { ui: 'en', needs: TYPICAL_NEEDS, langs: [TYPICAL_LANG] });
  const chosen = new URL(page.url()).searchParams;
  assert.deepEqual(chosen.getAll('need').sort(), [...TYPICAL_NEEDS].sort(), 'the URL holds the three needs');
  assert.deepEqual(chosen.getAll('lang'), [TYPICAL_LANG]);

  // The page agrees with the API about what matches, and says so in words.
  const expected = await api('/api/v1/listings?' + new URLSearchParams([...TYPICAL_NEEDS.map((n) => ['need', n]), ['lang', TYPICAL_LANG], ['prefer_lang', 'en']]));
  assert.ok(expected.total > 0, 'the demo data has groups for the typical search');
  await assert.doesNotReject(page.getByText(plural('en', 'search.results.count', expected.total), { exact: true }).waitFor());
  const slugs = await resultSlugs(page);
  assert.deepEqual(slugs, expectedSlugs(expected), 'the same groups in the same order as the API');

  // Every card names each chosen need as offered.
  const cards = page.locator(CARDS);
  for (let i = 0; i < await cards.count(); i++) {
    const offered = await cards.nth(i).locator('.meets li.yes').allInnerTexts();
    for (const need of TYPICAL_NEEDS) {
      assert.ok(offered.some((o) => o.includes(en[need])), `card ${i + 1} does not show "${en[need]}" as offered: ${offered}`);
    }
  }
  // The choices are still ticked, so the search can be adjusted.
  for (const need of TYPICAL_NEEDS) assert.ok(await page.locator(`input[name="need"][value="${need}"]`).isChecked());

  // Open the first group.
  const first = page.locator(CARD_LINK).first();
  const name = (await first.innerText()).trim();
  await loads(page, first.click());
  assert.equal(new URL(page.url()).pathname, `/groups/${slugs[0]}`);
  assert.equal((await page.locator('h1').innerText()).trim(), name);
  for (const need of TYPICAL_NEEDS) {
    await assert.doesNotReject(page.locator('.offers li', { hasText: en[need] }).first().waitFor(),
      `the group's page lists "${en[need]}" among what it offers`);
  }

  // Download its calendar file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: t('en', 'listing.calendar') }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `${slugs[0]}.ics`);
  const ics = (await readFile(await download.path(), 'utf8')).replace(/\r\n[ \t]/g, ''); // unfold lines
  assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
  assert.match(ics, /\r\nBEGIN:VEVENT\r\n/);
  assert.match(ics, /\r\nRRULE:FREQ=(WEEKLY|MONTHLY)/);
  assert.ok(ics.includes(`SUMMARY:${name.replace(/([,;\\])/g, '\\$1')}`), `the .ics is for ${name}`);
  assert.match(ics, /END:VCALENDAR\r\n$/);

  // Switch to Spanish: the same group, the page's own words in Spanish.
  const before = new URL(page.url()).pathname;
  await loads(page, page.getByRole('link', { name: 'Español' }).click());
  assert.equal(new URL(page.url()).pathname, before, 'the same listing');
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  const h1 = page.locator('h1');
  assert.equal((await h1.innerText()).trim(), name, 'the group keeps its own name');
  const textLang = (await api(`/api/v1/listings/${slugs[0]}`)).text_lang;
  if (textLang !== 'es') assert.equal(await h1.getAttribute('lang'), textLang, 'the name is marked as written in its own language');
  await assert.doesNotReject(page.getByRole('heading', { name: t('es', 'listing.when') }).waitFor());
  await assert.doesNotReject(page.getByRole('heading', { name: t('es', 'listing.offers') }).waitFor());
  for (const need of TYPICAL_NEEDS) {
    await assert.doesNotReject(page.locator('.offers li', { hasText: es[need] }).first().waitFor(),
      `the Spanish page lists "${es[need]}"`);
  }
  await assert.doesNotReject(page.getByRole('link', { name: t('es', 'listing.calendar') }).waitFor());
  assert.equal(await page.getByText(t('en', 'listing.when'), { exact: true }).count(), 0, 'no English headings remain');
  await context.close();
});

test('switching to Spanish on the results keeps the search and shows it in Spanish', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(url(typicalQuery('en')));
  const english = await resultSlugs(page);
  assert.ok(english.length > 0);
  await loads(page, page.getByRole('link', { name: 'Español' }).click());
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  assert.equal((await page.locator('h1').innerText()).trim(), t('es', 'search.heading'));
  // The same search; groups meeting in Spanish now come first (issue 8).
  const spanish = await api(typicalQuery('es').replace('/?', '/api/v1/listings?').replace('ui=es', 'prefer_lang=es'));
  assert.deepEqual(await resultSlugs(page), expectedSlugs(spanish), 'the same search, Spanish-speaking groups first');
  for (const need of TYPICAL_NEEDS) assert.ok(await page.locator(`input[name="need"][value="${need}"]`).isChecked());
  // Links onward stay in Spanish.
  const href = await page.locator(CARD_LINK).first().getAttribute('href');
  assert.match(href, /[?&]ui=es\b/);
  const next = page.locator('nav.pager a[rel="next"]');
  if (await next.count()) assert.match(await next.getAttribute('href'), /[?&]ui=es\b/);
  await context.close();
});

test('with JavaScript, changing a choice updates the results in place and says so', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(url('/?ui=en'));
  const all = await resultSlugs(page);
  await page.locator(`input[name="lang"][value="${TYPICAL_LANG}"]`).check();
  const expected = await api(`/api/v1/listings?lang=${TYPICAL_LANG}&prefer_lang=en`);
  const status = page.getByRole('status');
  // No need was chosen: the words say "match your choices", not "everything you chose".
  await assert.doesNotReject(status.filter({ hasText: plural('en', 'search.results.filtered', expected.total) }).waitFor({ state: 'attached' }));
  assert.notDeepEqual(await resultSlugs(page), all);
  assert.deepEqual(await resultSlugs(page), expectedSlugs(expected));
  assert.equal(new URL(page.url()).searchParams.get('lang'), TYPICAL_LANG, 'the address can still be shared');
  await context.close();
});

// HTML alone: the same search, the same results, the same group page and calendar
// file with JavaScript turned off.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import {
  TYPICAL_LANG, TYPICAL_NEEDS, UNMET_NEEDS, closeSlugs, launch, loads, needLabels, newPage, resultSlugs,
  search, t,
} from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function run(javaScriptEnabled, query) {
  const { context, page } = await newPage(browser, { javaScriptEnabled });
  await search(page, query);
  const result = {
    url: new URL(page.url()),
    results: await resultSlugs(page),
    close: await closeSlugs(page),
    summary: await page.locator('.summary-line').innerText(),
    // The script shows "use my location"; without it the button stays hidden.
    locate: await page.locator('[data-locate]').isVisible(),
  };
  return { context, page, result };
}

test('the same search works with JavaScript disabled', async () => {
  const query = { ui: 'en', needs: TYPICAL_NEEDS, langs: [TYPICAL_LANG] };
  const withJS = await run(true, query);
  await withJS.context.close();
  const { context, page, result } = await run(false, query);

  assert.equal(withJS.result.locate, true, 'the script ran in the first run');
  assert.equal(result.locate, false, 'JavaScript really is off: "use my location" needs it and stays hidden');
  assert.ok(result.results.length > 0);
  assert.deepEqual(result.results, withJS.result.results, 'the same results in the same order');
  assert.equal(result.summary, withJS.result.summary);
  assert.deepEqual([...result.url.searchParams.entries()].sort(), [...withJS.result.url.searchParams.entries()].sort(),
    'the same shareable address');

  // The next page of results is a plain link.
  const next = page.locator('nav.pager a[rel="next"]');
  if (await next.count()) {
    await loads(page, next.click());
    assert.ok((await resultSlugs(page)).length > 0);
    assert.equal(new URL(page.url()).searchParams.getAll('need').length, TYPICAL_NEEDS.length, 'page 2 keeps the needs');
    await page.goBack();
  }

  // Open a group, read what it offers, download the calendar file.
  const link = page.locator('#results li.card :is(h3, h4) a').first();
  const name = (await link.innerText()).trim();
  await loads(page, link.click());
  assert.equal((await page.locator('h1').innerText()).trim(), name);
  assert.equal(await page.locator('.local-time').count(), 0, 'no script added local times');
  assert.ok(await page.locator('ul.dates time').count() > 0, 'the next dates are there without script');
  const labels = await needLabels('en');
  for (const need of TYPICAL_NEEDS) await page.locator('.offers li', { hasText: labels[need] }).first().waitFor();
  // "What these mean" opens without script: it is a <details>, one per category.
  const define = page.locator('.offers details').first();
  await define.locator('summary').click();
  assert.ok(await define.locator('dd').first().isVisible());
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: t('en', 'listing.calendar') }).click(),
  ]);
  assert.match(await readFile(await download.path(), 'utf8'), /^BEGIN:VCALENDAR/);

  // And in Spanish.
  await loads(page, page.getByRole('link', { name: 'Español' }).click());
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  await page.getByRole('heading', { name: t('es', 'listing.when') }).waitFor();
  await context.close();
});

test('close matches work with JavaScript disabled', async () => {
  const query = { ui: 'es', needs: UNMET_NEEDS };
  const withJS = await run(true, query);
  await withJS.context.close();
  const { context, result } = await run(false, query);
  assert.deepEqual(result.results, []);
  assert.ok(result.close.length > 0);
  assert.deepEqual(result.close, withJS.result.close);
  assert.equal(result.summary.trim(), t('es', 'search.results.none'));
  await context.close();
});

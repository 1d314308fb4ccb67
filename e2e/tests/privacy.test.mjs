// Privacy by construction: the browser talks only to the app, and browsing
// without an account leaves no cookie and nothing stored.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ORIGIN, TYPICAL_LANG, TYPICAL_NEEDS, UNMET_NEEDS, launch, loads, newPage, search, t, url,
} from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// browse does the whole journey a person might take, so every request it
// causes (pages, styles, script, live results, downloads) is seen.
async function browse(page, javaScriptEnabled) {
  const responses = [];
  page.on('response', (r) => responses.push(r));
  await search(page, { ui: 'en', needs: TYPICAL_NEEDS, langs: [TYPICAL_LANG] });
  // A live update of the results, when script runs.
  await page.locator('input[name="mode"][value="in_person"]').check();
  if (javaScriptEnabled) await page.locator('#live-status').filter({ hasText: /\S/ }).waitFor({ state: 'attached' });
  await loads(page, page.locator('#results li.card :is(h3, h4) a').first().click());
  await page.locator('.offers details summary').first().click();
  const download = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: t('en', 'listing.calendar') }).click(),
  ]).then(([d]) => d);
  await download.path();
  await loads(page, page.getByRole('link', { name: 'Español' }).click());
  await search(page, { ui: 'es', needs: UNMET_NEEDS });
  await page.goto(url('/groups/no-such-group-anywhere'));
  await page.goto(url('/?need=no.such-need'));
  return responses;
}

for (const javaScriptEnabled of [true, false]) {
  const how = javaScriptEnabled ? 'with' : 'without';
  test(`every request goes to the app's own origin and no cookie is set (${how} JavaScript)`, async () => {
    const { context, page } = await newPage(browser, { javaScriptEnabled });
    const responses = await browse(page, javaScriptEnabled);

    const requests = context.requests.map((r) => r.url());
    assert.ok(requests.length >= 10, `the journey made requests (${requests.length})`);
    const elsewhere = requests.filter((u) => new URL(u).origin !== ORIGIN);
    assert.deepEqual(elsewhere, [], 'requests to anywhere but the app');
    if (javaScriptEnabled) {
      assert.ok(context.requests.some((r) => r.resourceType() === 'fetch'), 'the live results were fetched');
    }

    assert.deepEqual(await context.cookies(), [], 'no cookie');
    const setters = [];
    for (const r of responses) {
      if ((await r.headerValue('set-cookie')) !== null) setters.push(r.url());
    }
    assert.deepEqual(setters, [], 'no response tries to set a cookie');
    if (javaScriptEnabled) {
      const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
      assert.deepEqual(stored, { local: 0, session: 0 }, 'nothing kept in the browser');
    }
    await context.close();
  });
}

test('pages tell the browser to load nothing from elsewhere and to send no referrer', async () => {
  const { context, page } = await newPage(browser);
  for (const path of ['/?ui=en', '/groups/no-such-group-anywhere']) {
    const response = await page.goto(url(path));
    const csp = await response.headerValue('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /https?:|\*/, 'no other origin is allowed');
    assert.equal(await response.headerValue('referrer-policy'), 'no-referrer');
  }
  // Links out of the site carry no referrer and open no window back to it.
  await page.goto(url('/?ui=en'));
  await loads(page, page.locator('#results li.card :is(h3, h4) a').first().click());
  const outbound = await page.locator('a[href^="http"]').evaluateAll((as) => as
    .filter((a) => new URL(a.href).origin !== location.origin)
    .map((a) => ({ href: a.href, rel: a.rel })));
  for (const a of outbound) assert.match(a.rel, /noreferrer/, `${a.href} carries no referrer`);
  await context.close();
});

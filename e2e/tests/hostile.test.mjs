// Hostile addresses: links built from the address stay on this site, a page past
// the end of the results leads back to the last one, and a damaged link is named
// rather than quietly searched without.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ORIGIN, assertNoLeak, launch, loads, newPage, resultSlugs, t, url } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('links on a page at an address like ///evil.example stay on this site', async () => {
  const { context, page } = await newPage(browser);
  for (const path of ['///evil.example/x', '//evil.example/x', '/%5Cevil.example/x']) {
    const response = await page.goto(url(path));
    assert.equal(response.status(), 404, path);
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href));
    for (const href of hrefs) assert.equal(new URL(href).origin, ORIGIN, `${path}: ${href} leaves the site`);
    await loads(page, page.getByRole('link', { name: 'Español' }).click());
    assert.equal(new URL(page.url()).origin, ORIGIN, `${path}: the language link left the site`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  }
  await context.close();
});

test('a results page past the end says so and leads to the last page', async () => {
  for (const ui of ['en', 'es']) {
    const { context, page } = await newPage(browser);
    const response = await page.goto(url(`/?ui=${ui}&page=400`));
    assert.equal(response.status(), 404);
    assert.equal((await page.locator('h1').innerText()).trim(), t(ui, 'search.past_end.title'));
    await assertNoLeak(page, 'page 400');
    await loads(page, page.getByRole('link', { name: t(ui, 'search.past_end.back') }).click());
    assert.ok((await resultSlugs(page)).length > 0, 'the last page has results');
    assert.equal(await page.getByRole('link', { name: t(ui, 'search.page.next') }).count(), 0, 'and no next page');
    await context.close();
  }
});

test('a damaged link is named, not searched without', async () => {
  const { context, page } = await newPage(browser);
  const response = await page.goto(url('/?ui=en&q=%&need=cost.free'));
  assert.equal(response.status(), 400);
  await page.locator('#problems').getByText(t('en', 'search.error.query_malformed')).waitFor();
  assert.ok(await page.locator('input[name="need"][value="cost.free"]').isChecked(), 'the readable part is kept');
  assert.equal((await resultSlugs(page)).length, 0, 'nothing was searched');
  await context.close();
});

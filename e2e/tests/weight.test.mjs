// Page weight: the results page for a typical search transfers at most 60 KB,
// compressed, in total: HTML, CSS and script.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, newPage, resultSlugs, typicalQuery, unmetQuery, url } from './browser.mjs';

const BUDGET = 60 * 1024;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// transfer loads path in a fresh browser (nothing cached) and adds up what came
// over the wire: each response's body as sent (compressed) plus its headers.
async function transfer(path, options = {}) {
  const { context, page } = await newPage(browser, options);
  const finished = [];
  page.on('requestfinished', (r) => finished.push(r));
  await page.goto(url(path), { waitUntil: 'networkidle' });
  const items = [];
  for (const r of finished) {
    const response = await r.response();
    const sizes = await r.sizes();
    const headers = await response.allHeaders();
    items.push({
      url: r.url().replace(/^https?:\/\/[^/]+/, ''), type: r.resourceType(),
      body: sizes.responseBodySize, headers: sizes.responseHeadersSize,
      encoding: headers['content-encoding'] ?? 'identity',
      length: headers['content-length'] === undefined ? undefined : Number(headers['content-length']),
    });
  }
  const slugs = await resultSlugs(page);
  await context.close();
  const total = items.reduce((sum, i) => sum + i.body + i.headers, 0);
  return { items, total, slugs };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

test('the results page for a typical search transfers at most 60 KB compressed, HTML, CSS and script together', async (t) => {
  const { items, total, slugs } = await transfer(typicalQuery('en'));
  assert.ok(slugs.length > 0, 'the typical search has results');
  for (const i of items) t.diagnostic(`${i.type.padEnd(10)} ${kb(i.body).padStart(8)} body + ${i.headers} B headers (${i.encoding}) ${i.url.slice(0, 60)}`);
  t.diagnostic(`total ${kb(total)} of ${kb(BUDGET)}`);

  const types = new Set(items.map((i) => i.type));
  for (const type of ['document', 'stylesheet', 'script']) assert.ok(types.has(type), `a ${type} was loaded and counted`);
  for (const i of items) {
    assert.ok(i.body > 0, `${i.url} came over the network, not from a cache`);
    // Text is compressed (the server gzips anything over 1 KB).
    if (i.body > 1024) assert.equal(i.encoding, 'gzip', `${i.url} is compressed`);
    // Where the server states the length, the measurement agrees with it.
    if (i.length !== undefined) assert.equal(i.body, i.length, `${i.url}: measured body = content-length`);
  }
  assert.ok(total <= BUDGET, `the page transfers ${kb(total)}, over the ${kb(BUDGET)} budget`);
});

test('the other pages stay inside the same budget', async (t) => {
  const paths = [['search, Spanish', typicalQuery('es')], ['close matches', unmetQuery('en')], ['empty search', '/?ui=en'],
    ['all results on one page', '/?ui=en&per_page=100']];
  const { slugs } = await transfer(typicalQuery('en'));
  paths.push(['a group page', `/groups/${slugs[0]}?ui=en`]);
  for (const [name, path] of paths) {
    const { total } = await transfer(path);
    t.diagnostic(`${name}: ${kb(total)}`);
    assert.ok(total <= BUDGET, `${name} transfers ${kb(total)}`);
  }
});

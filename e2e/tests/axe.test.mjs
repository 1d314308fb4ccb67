// axe finds no WCAG 2.2 AA violations on the pages people use, in both languages,
// as they load and with every folded part opened.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DESKTOP, PHONE, axeViolations, describeViolations, launch, newPage, openAllDetails, typicalGroupSlug, typicalQuery, unmetQuery,
  url,
} from './browser.mjs';

let browser;
let listingSlug;
before(async () => {
  browser = await launch();
  listingSlug = await typicalGroupSlug(browser);
});
after(async () => { await browser?.close(); });

const pages = (ui) => [
  ['the empty search page', `/?ui=${ui}`, 200],
  ['the search page with results', typicalQuery(ui), 200],
  ['the search page with close matches', unmetQuery(ui), 200],
  ['the search page with four unmet needs', unmetQuery(ui) + '&need=care.childcare', 200],
  ['the search page with a text that finds nothing', `/?ui=${ui}&q=gryeef`, 200],
  ['the search page for groups meeting only online', `/?ui=${ui}&city=online`, 200],
  ['the search page in one city, in order of meeting', `/?ui=${ui}&city=Madrid&sort=soonest`, 200],
  ['the search page with problems to fix', `/?ui=${ui}&need=no.such-need&lang=zz&day=funday&q=${'x'.repeat(300)}`, 400],
  ['a group page', () => `/groups/${listingSlug}?ui=${ui}`, 200],
  ['the correction form of a group', () => `/groups/${listingSlug}/correction?ui=${ui}`, 200],
  ['the not-found page', `/groups/no-such-group-anywhere?ui=${ui}`, 404],
];

// Each page in each language once with every folded part open, so nothing hides
// from the check: English at desktop width, Spanish at phone width. (Colours and
// sizes do not depend on the language; names, labels and lang attributes do.)
for (const ui of ['en', 'es']) {
  const viewport = ui === 'en' ? DESKTOP : PHONE;
  for (const [name, path, status] of pages(ui)) {
    test(`axe: no WCAG 2.2 AA violations on ${name} (${ui}, ${viewport.width} px)`, async () => {
      const target = typeof path === 'function' ? path() : path;
      const { context, page } = await newPage(browser, { viewport });
      const response = await page.goto(url(target));
      assert.equal(response.status(), status, target);
      assert.equal(await page.locator('html').getAttribute('lang'), ui);
      await openAllDetails(page);
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], describeViolations(violations));
      await context.close();
    });
  }
}

test('axe: no WCAG 2.2 AA violations on the search page as it loads on a phone, categories folded', async () => {
  const { context, page } = await newPage(browser, { viewport: PHONE });
  await page.goto(url(typicalQuery('en')));
  assert.ok(await page.locator('details.category:not([open])').count() > 0, 'some categories are folded');
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  await context.close();
});

test('semantic structure: one h1, landmarks, headings that do not skip levels, a title', async () => {
  const paths = [...pages('en'), ...pages('es')].map(([, path]) => (typeof path === 'function' ? path() : path));
  const { context, page } = await newPage(browser);
  for (const path of paths) {
    await page.goto(url(path));
    const shape = await page.evaluate(() => ({
      h1: document.querySelectorAll('h1').length,
      main: document.querySelectorAll('main').length,
      banner: document.querySelectorAll('body > header').length,
      contentinfo: document.querySelectorAll('body > footer').length,
      namedNav: [...document.querySelectorAll('nav')].every((n) => n.getAttribute('aria-label') || n.getAttribute('aria-labelledby')),
      skipTarget: document.querySelector('a.skip')?.getAttribute('href') === '#main',
      jumps: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1]))
        .filter((level, i, all) => i > 0 && level > all[i - 1] + 1).length,
      title: document.title.trim().length > 0,
    }));
    assert.deepEqual(shape, { h1: 1, main: 1, banner: 1, contentinfo: 1, namedNav: true, skipTarget: true, jumps: 0, title: true }, path);
  }
  await context.close();
});

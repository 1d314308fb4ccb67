// Shared by the browser tests: Debian's Chromium driven by playwright-core, the
// app's own words (web/i18n) so tests follow the wording rather than copy it, and
// small helpers that do what a person does (open a category, tick a need, press
// "Show spaces"). Not a test file itself: node --test only runs *.test.mjs here.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const BASE = (process.env.BASE_URL || 'http://127.0.0.1:18080').replace(/\/$/, '');
export const ORIGIN = new URL(BASE).origin;
export const url = (pathAndQuery) => BASE + pathAndQuery;

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };
export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

// The typical search of the issue: three needs and a language.
export const TYPICAL_NEEDS = ['cost.free', 'access.step-free', 'transit.near-stop'];
export const TYPICAL_LANG = 'en';
export const typicalQuery = (ui = 'en') =>
  '/?' + new URLSearchParams([['ui', ui], ...TYPICAL_NEEDS.map((n) => ['need', n]), ['lang', TYPICAL_LANG]]);

// Three needs that no demo space offers together, though some offer two of them.
export const UNMET_NEEDS = ['identity.trans-affirming', 'sensory.quiet-space', 'care.children-welcome'];
export const unmetQuery = (ui = 'en') =>
  '/?' + new URLSearchParams([['ui', ui], ...UNMET_NEEDS.map((n) => ['need', n])]);

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// newContext records every request any of its pages makes, in context.requests.
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, ...options });
  context.requests = [];
  context.on('request', (r) => context.requests.push(r));
  return context;
}

export async function newPage(browser, options = {}) {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  return { context, page };
}

// ---- the app's own words ----

const catalogs = {};
function catalog(lang) {
  catalogs[lang] ??= JSON.parse(readFileSync(new URL(`../../web/i18n/${lang}.json`, import.meta.url), 'utf8'));
  return catalogs[lang];
}

// t formats a UI message as the server does (fmt verbs %s, %d and %[n]s).
export function t(lang, key, ...args) {
  const msg = catalog(lang)[key];
  assert.ok(msg !== undefined, `web/i18n/${lang}.json has no ${key}`);
  let next = 0;
  return msg.replace(/%(?:\[(\d+)\])?[sd]/g, (_, index) => String(args[index ? Number(index) - 1 : next++]));
}

export const plural = (lang, key, count) => t(lang, `${key}.${count === 1 ? 'one' : 'other'}`, count);

// ---- the app's JSON API, as a second opinion on what the pages show ----

export async function api(pathAndQuery) {
  const res = await fetch(url(pathAndQuery));
  assert.equal(res.status, 200, `${pathAndQuery} answered ${res.status}`);
  return res.json();
}

// needLabels maps every need's slug to its label in lang.
export async function needLabels(lang) {
  const doc = await api(`/api/v1/tags?ui=${lang}`);
  const labels = {};
  for (const cat of doc.categories) for (const tag of cat.tags) labels[tag.slug] = tag.label;
  return labels;
}

// ---- doing what a person does ----

// chooseNeed opens the need's category (folded unless something in it is chosen)
// and ticks the need.
export async function chooseNeed(page, slug) {
  await resultsSettled(page);
  const box = page.locator(`input[name="need"][value="${slug}"]`);
  const category = page.locator('details.category').filter({ has: box });
  if (!(await category.evaluate((d) => d.open))) await category.locator('summary').first().click();
  await box.check();
}

// resultsSettled waits until the results of the last choice are in (with
// JavaScript the results page marks them aria-busy until then): as they arrive,
// options that would find nothing are hidden, and the one about to be clicked
// may move.
export async function resultsSettled(page) {
  await page.locator('#results[aria-busy="true"]').waitFor({ state: 'detached' });
}

// search fills the search form the way a person would and presses its button.
export async function search(page, { ui = 'en', q = '', needs = [], langs = [] } = {}) {
  await page.goto(url(`/?ui=${ui}`));
  if (q) await page.getByLabel(t(ui, 'search.q.label')).fill(q);
  for (const slug of needs) await chooseNeed(page, slug);
  for (const code of langs) {
    await resultsSettled(page);
    await page.locator(`input[name="lang"][value="${code}"]`).check();
  }
  await loads(page, page.getByRole('button', { name: t(ui, 'search.submit') }).click());
}

// loads waits until action has made the page load a new document. (Waiting for
// a URL is not enough: the live results script puts the very same URL in the
// address bar without loading anything.) It returns the document's response.
export async function loads(page, action) {
  const response = page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame());
  await Promise.all([page.waitForEvent('load'), response, action]);
  return response;
}

// CARDS are the result cards (one list, or one per place), CARD_LINK the link
// in any card's heading, close matches included.
export const CARDS = '#results > ol.cards > li.card, #results > section.place li.card';
export const CARD_LINK = '#results li.card :is(h3, h4) a';

// expectedSlugs are the listings an API answer shows, in the page's order:
// grouped by place when no place was chosen.
export const expectedSlugs = (result) =>
  (result.places ? result.places.flatMap((p) => p.hits) : result.hits).map((h) => h.slug);

// resultSlugs are the listings in the full-match list (not the close matches), in
// order: one list, or one per place when no place was chosen.
export async function resultSlugs(page) {
  return page.locator('#results > ol.cards > li.card h3 a, #results > section.place li.card h4 a').evaluateAll((links) =>
    links.map((a) => new URL(a.href).pathname.replace('/groups/', '')));
}

// typicalGroupSlug is the first group the typical search finds: tests open a
// group found by searching, never one named in them.
export async function typicalGroupSlug(browser) {
  const { context, page } = await newPage(browser);
  try {
    await page.goto(url(typicalQuery('en')));
    const [slug] = await resultSlugs(page);
    assert.ok(slug, 'the typical search finds a group');
    return slug;
  } finally {
    await context.close();
  }
}

export async function closeSlugs(page) {
  return page.locator('#results section.close li.card :is(h3, h4) a').evaluateAll((links) =>
    links.map((a) => new URL(a.href).pathname.replace('/groups/', '')));
}

// ---- checks ----

// axeViolations runs axe in the page itself ("legacy mode": no second page to
// merge results from frames). The pages have no frames, so the findings are the
// same, in a third of the time.
export async function axeViolations(page) {
  assert.equal(page.frames().length, 1, 'the page has no frames');
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
  return result.violations;
}

export function describeViolations(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n')).join('\n');
}

export async function openAllDetails(page) {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
}

// A helpful page: never a stack trace or an internal error, always a way back.
const LEAKS = [/goroutine \d+/, /panic:/, /\.go:\d+/, /runtime error/i, /Internal Server Error/, /pq: |pgx|SQLSTATE/];
export async function assertNoLeak(page, what) {
  const text = await page.locator('body').innerText();
  for (const leak of LEAKS) assert.doesNotMatch(text, leak, `${what} shows internal detail`);
}

export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return SCREENSHOTS + name + '.png';
}

// Keyboard only: every control can be reached with Tab and used with Enter or
// Space, focus is always visible and never hidden, and nothing traps it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import {
  TYPICAL_LANG, TYPICAL_NEEDS, launch, loads, newPage, resultSlugs, t, typicalQuery, unmetQuery, url,
} from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const FOCUSABLE = 'a[href], button, input:not([type="hidden"]), select, textarea, details > summary:first-of-type, [tabindex]:not([tabindex="-1"])';

// mark numbers every focusable element a person can see, so the tab walk can
// tell them apart; it returns a short description of each.
async function mark(page) {
  return page.evaluate((selector) => {
    const out = {};
    document.querySelectorAll(selector).forEach((el, i) => {
      el.setAttribute('data-e2e', String(i));
      if (el.disabled || !el.checkVisibility({ visibilityProperty: true })) return;
      out[i] = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.name ? `[${el.name}=${el.value}]` : ''} "${(el.innerText || el.value || '').trim().slice(0, 40)}"`;
    });
    return out;
  }, FOCUSABLE);
}

// focused describes the focused element and how its focus is shown.
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      mark: el.getAttribute('data-e2e'),
      tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'), value: el.value,
      type: el.getAttribute('type'), href: el.getAttribute('href'), text: (el.innerText || '').trim(),
      inCategory: el.tagName === 'SUMMARY' && el.parentElement.matches('details.category'),
      open: el.tagName === 'SUMMARY' ? el.parentElement.open : undefined,
      focusVisible: el.matches(':focus-visible'),
      outline: { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) },
      rect: { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height, width: r.width },
      viewport: { width: innerWidth, height: innerHeight },
    };
  });
}

function assertFocusShown(f, where) {
  const what = `${where}: ${f.tag}${f.id ? '#' + f.id : ''} "${f.text.slice(0, 30) || f.value}"`;
  assert.ok(f.focusVisible, `${what} does not match :focus-visible`);
  assert.ok(f.outline.style !== 'none' && f.outline.width >= 2, `${what} has no visible focus outline (${f.outline.style} ${f.outline.width}px)`);
  assert.ok(f.rect.width > 0 && f.rect.height > 0, `${what} has no size`);
  // Focus not obscured: the focused control is on screen, not under anything.
  assert.ok(f.rect.top >= 0 && f.rect.bottom <= f.viewport.height + 1, `${what} is off screen vertically (${f.rect.top}..${f.rect.bottom})`);
  assert.ok(f.rect.left >= 0 && f.rect.right <= f.viewport.width + 1, `${what} is off screen horizontally`);
}

// tabUntil presses Tab until wanted(focused) holds; it fails after max presses.
async function tabUntil(page, wanted, what, max = 400) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && wanted(f)) return f;
  }
  assert.fail(`Tab never reached ${what}`);
}

// walk tabs from the top of the page to the end, checking every stop; with
// openCategories it opens each folded category of needs with Enter on the way.
async function walk(page, where, { openCategories = false } = {}) {
  const visited = [];
  await page.locator('body').focus();
  await page.evaluate(() => window.scrollTo(0, 0));
  for (let i = 0; i < 600; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f) return visited; // past the last control: focus left the page, nothing trapped it
    if (visited.length && f.mark === visited[0].mark) return visited; // wrapped round
    assertFocusShown(f, where);
    if (openCategories && f.inCategory && !f.open) {
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.parentElement.open), true, 'Enter opens a category');
    }
    visited.push(f);
  }
  assert.fail(`${where}: 600 presses of Tab never left the page: focus is trapped`);
}

async function assertEverythingReachable(page, where, options) {
  const visited = await walk(page, where, options);
  const all = await mark(page); // after the walk, so opened categories count
  const reached = new Set(visited.map((f) => f.mark));
  const missed = Object.entries(all).filter(([i]) => !reached.has(i)).map(([, d]) => d);
  assert.deepEqual(missed, [], `${where}: controls that Tab never reached`);
  return visited;
}

test('the skip link comes first, is visible when focused and moves focus to the content', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(url(typicalQuery('en')));
  await page.keyboard.press('Tab');
  const f = await focused(page);
  assert.equal(f.text, t('en', 'nav.skip'));
  assertFocusShown(f, 'skip link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  await page.keyboard.press('Tab');
  const next = await focused(page);
  assert.ok(await page.evaluate((m) => document.querySelector('main').contains(document.activeElement), next.mark),
    'the next Tab lands inside the main content');
  await context.close();
});

test('keyboard only: search, open a group, add it to a calendar', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(url('/?ui=en'));
  await mark(page);

  for (const need of TYPICAL_NEEDS) {
    // The need's category is folded: reach its summary, open it with Enter,
    // then reach the need and tick it with Space.
    const category = await page.locator(`details.category:has(input[value="${need}"]) > summary`).innerText();
    await page.locator('body').focus();
    await tabUntil(page, (f) => f.inCategory && f.text.startsWith(category), `the "${category}" category`);
    await page.keyboard.press('Enter');
    await tabUntil(page, (f) => f.name === 'need' && f.value === need, `the ${need} checkbox`);
    await page.keyboard.press('Space');
    assert.ok(await page.locator(`input[name="need"][value="${need}"]`).isChecked(), `Space ticks ${need}`);
  }
  await page.locator('body').focus();
  await tabUntil(page, (f) => f.name === 'lang' && f.value === TYPICAL_LANG, 'the language');
  await page.keyboard.press('Space');
  await tabUntil(page, (f) => f.tag === 'button' && f.type === 'submit', 'the search button');
  await loads(page, page.keyboard.press('Enter'));
  const params = new URL(page.url()).searchParams;
  assert.deepEqual(params.getAll('need').sort(), [...TYPICAL_NEEDS].sort());
  assert.deepEqual(params.getAll('lang'), [TYPICAL_LANG]);
  const slugs = await resultSlugs(page);
  assert.ok(slugs.length > 0);

  // The results come before the form (issue 8): past the skip link, the
  // places and the summary of choices, the first result is near.
  await page.locator('body').focus();
  const first = await tabUntil(page, (f) => f.tag === 'a' && (f.href || '').startsWith('/groups/'), 'the first result', 25);
  assert.equal(new URL(first.href, url('/')).pathname, `/groups/${slugs[0]}`);
  await loads(page, page.keyboard.press('Enter'));

  // On the group's page: "What these mean" opens with Enter; the calendar
  // file downloads with Enter.
  await tabUntil(page, (f) => f.tag === 'summary', '"What these mean"');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.parentElement.open), true);
  await page.locator('body').focus();
  await tabUntil(page, (f) => (f.href || '').endsWith('/calendar.ics'), 'the calendar link');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.match(await readFile(await download.path(), 'utf8'), /^BEGIN:VCALENDAR/);

  // The language switch works from the keyboard too.
  await page.locator('body').focus();
  await tabUntil(page, (f) => f.text === 'Español', 'the Spanish link');
  await loads(page, page.keyboard.press('Enter'));
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  await context.close();
});

const pages = [
  ['the search page with results', typicalQuery('en')],
  ['the search page with close matches (Spanish)', unmetQuery('es')],
  ['the search page with a problem to fix', '/?ui=en&need=no.such-need&q=' + 'x'.repeat(300)],
  ['an error page', '/groups/no-such-group-anywhere?ui=es'],
];
for (const [where, path] of pages) {
  test(`keyboard only: every control on ${where} is reached, focus always visible, no trap`, async () => {
    const { context, page } = await newPage(browser);
    await page.goto(url(path));
    await mark(page);
    const visited = await assertEverythingReachable(page, where, { openCategories: true });
    assert.ok(visited.length > 1);
    if (path.startsWith('/?')) {
      // Every need became reachable once its category was opened.
      const needs = visited.filter((f) => f.name === 'need').length;
      assert.equal(needs, await page.locator('input[name="need"]').count(), 'every need checkbox was reached');
    }
    await context.close();
  });
}

test('keyboard only: every control on a group page is reached, focus always visible, no trap', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(url(typicalQuery('es')));
  const [slug] = await resultSlugs(page);
  await page.goto(url(`/groups/${slug}?ui=es`));
  await mark(page);
  await assertEverythingReachable(page, 'a group page');
  // With every "What these mean" open as well.
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  await mark(page);
  await assertEverythingReachable(page, 'a group page, definitions open');
  await context.close();
});

test('at phone width, focus stays visible and on screen', async () => {
  const { context, page } = await newPage(browser, { viewport: { width: 390, height: 700 } });
  await page.goto(url(typicalQuery('es')));
  await mark(page);
  await assertEverythingReachable(page, 'the search page on a phone');
  await context.close();
});

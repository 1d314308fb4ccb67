// Bad input gets a helpful page: 400 or 404 in the person's language, saying what
// went wrong and offering a way back; never a stack trace, never a 500.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoLeak, launch, loads, newPage, resultSlugs, t, url } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A paused group cannot be found by searching (paused groups leave the results),
// so this one is named; the test first checks the demo data still has it paused.
const PAUSED = 'grief-circle-rogers-park';

// assertFieldError checks that the problem is summed up at the top with a link
// to the field, and that the field itself points at the message.
async function assertFieldError(page, ui, { field, key }) {
  const message = t(ui, key);
  const summary = page.locator('#problems');
  assert.equal(await summary.getAttribute('role'), 'alert');
  const link = summary.getByRole('link', { name: message });
  assert.equal(await link.getAttribute('href'), `#${field}`, 'the summary links to the field');
  const described = (await page.locator(`#${field}`).getAttribute('aria-describedby')) ?? '';
  const ids = described.split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText().catch(() => '')));
  assert.ok(texts.some((text) => text.trim() === message), `#${field} is described by "${message}" (ids: ${ids})`);
  // Following the link brings the field into view.
  await link.click();
  assert.equal(new URL(page.url()).hash, `#${field}`);
  assert.ok(await page.locator(`#${field}`).isVisible());
}

async function assertWayBack(page, ui) {
  const back = page.getByRole('link', { name: t(ui, 'search.clear') }).first();
  assert.equal(await back.getAttribute('href'), `/?ui=${ui}`);
  assert.ok(await page.getByRole('button', { name: t(ui, 'search.submit') }).isVisible(), 'the form is there to fix it');
}

test('a search with 50 needs answers 400 with a helpful page that keeps the choices', async () => {
  for (const ui of ['en', 'es']) {
    const { context, page } = await newPage(browser);
    // The needs on offer, read from the form.
    await page.goto(url(`/?ui=${ui}`));
    const needs = await page.locator('input[name="need"]').evaluateAll((boxes) => boxes.map((b) => b.value));
    assert.ok(needs.length > 20);
    const fifty = Array.from({ length: 50 }, (_, i) => needs[i % needs.length]);
    const response = await page.goto(url('/?' + new URLSearchParams([['ui', ui], ...fifty.map((n) => ['need', n])])));
    assert.equal(response.status(), 400);
    await assertNoLeak(page, '50 needs');
    await assertFieldError(page, ui, { field: 'f-need', key: 'search.error.need_too_many' });
    await assertWayBack(page, ui);
    // The person's choices are kept so they can untick some.
    assert.equal(await page.locator('input[name="need"]:checked').count(), needs.length);
    await context.close();
  }
});

test('a 10,000-character query answers 400 with a helpful page', async () => {
  for (const ui of ['en', 'es']) {
    const { context, page } = await newPage(browser);
    const response = await page.goto(url(`/?ui=${ui}&q=${'grief '.repeat(2000).slice(0, 10000)}`));
    assert.equal(response.status(), 400);
    await assertNoLeak(page, 'long query');
    await assertFieldError(page, ui, { field: 'f-q', key: 'search.error.q_too_long' });
    assert.equal(await page.locator('#f-q').getAttribute('aria-invalid'), 'true');
    await assertWayBack(page, ui);
    // Shortening it and searching again works.
    await page.locator('#f-q').fill('grief');
    await loads(page, page.getByRole('button', { name: t(ui, 'search.submit') }).click());
    assert.equal(new URL(page.url()).searchParams.get('q'), 'grief');
    assert.ok((await resultSlugs(page)).length > 0, 'a shorter search finds groups');
    await context.close();
  }
});

test('unknown tags and codes in the URL answer 400 and name each problem', async () => {
  const { context, page } = await newPage(browser);
  const cases = [
    ['need=no.such-need&need=cost.free', 'f-need', 'search.error.need_unknown'],
    ['lang=zz', 'f-lang', 'search.error.lang_unknown'],
    ['day=funday', 'f-day', 'search.error.day_unknown'],
    ['time=teatime', 'f-time', 'search.error.time_unknown'],
    ['mode=telepathy', 'f-mode', 'search.error.mode_unknown'],
    ['city=Atlantis', 'f-city', 'search.error.city_unknown'],
    ['sort=sideways', 'f-sort', 'search.error.sort_unknown'],
  ];
  for (const ui of ['en', 'es']) {
    for (const [query, field, key] of cases) {
      const response = await page.goto(url(`/?ui=${ui}&${query}`));
      assert.equal(response.status(), 400, query);
      assert.equal(await page.locator('html').getAttribute('lang'), ui);
      await assertNoLeak(page, query);
      await assertFieldError(page, ui, { field, key });
      await assertWayBack(page, ui);
    }
  }
  // A known need given alongside an unknown one stays chosen.
  await page.goto(url('/?ui=en&need=no.such-need&need=cost.free'));
  assert.ok(await page.locator('input[name="need"][value="cost.free"]').isChecked());
  // Several problems at once are all listed, in the order of the form.
  await page.goto(url('/?ui=en&sort=sideways&need=no.such-need&q=' + 'x'.repeat(201)));
  assert.deepEqual(await page.locator('#problems li a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    ['#f-q', '#f-need', '#f-sort']);
  await context.close();
});

test('other odd search addresses answer 400 or 200, never 500', async () => {
  const { context, page } = await newPage(browser);
  for (const query of ['page=0', 'page=99999', 'per_page=1000', 'sort=distance', 'near=abc', 'radius_km=5',
    'q=%ZZ', 'q=%00', 'include=all', 'need=', 'need=COST.FREE', `q=${'%F0%9F%98%80'.repeat(300)}`,
    'need=cost.free&need=cost.free', 'near=91,200&radius_km=5000']) {
    const response = await page.goto(url(`/?ui=en&${query}`));
    assert.ok([200, 400].includes(response.status()), `${query} answered ${response.status()}`);
    await assertNoLeak(page, query);
    await assertWayBack(page, 'en');
    if (response.status() === 400) assert.ok(await page.locator('#problems li').count() > 0, `${query} says what is wrong`);
  }
  await context.close();
});

test('a group that does not exist answers 404 with a way back to the search', async () => {
  for (const ui of ['en', 'es']) {
    const { context, page } = await newPage(browser);
    for (const slug of ['no-such-group-anywhere', 'UPPER-case', 'x'.repeat(5000), '%C3%A9t%C3%A9', 'a%00b']) {
      const response = await page.goto(url(`/groups/${slug}?ui=${ui}`));
      assert.equal(response.status(), 404, slug.slice(0, 20));
      assert.equal(await page.locator('html').getAttribute('lang'), ui);
      assert.equal((await page.locator('h1').innerText()).trim(), t(ui, 'error.404.title'));
      await assertNoLeak(page, slug);
      const back = page.getByRole('link', { name: t(ui, 'error.back') });
      assert.equal(await back.getAttribute('href'), `/?ui=${ui}`);
    }
    // The way back works.
    await loads(page, page.getByRole('link', { name: t(ui, 'error.back') }).click());
    assert.equal(await page.locator('html').getAttribute('lang'), ui);
    assert.ok((await resultSlugs(page)).length > 0);
    // The calendar of a group that does not exist: 404 too.
    const ics = await page.goto(url(`/groups/no-such-group-anywhere/calendar.ics?ui=${ui}`));
    assert.equal(ics.status(), 404);
    await assertNoLeak(page, 'calendar of nothing');
    await context.close();
  }
});

test('the .ics of a paused group answers 404 with a way back to the group', async () => {
  for (const ui of ['en', 'es']) {
    const { context, page } = await newPage(browser);
    const listing = await page.goto(url(`/groups/${PAUSED}?ui=${ui}`));
    assert.equal(listing.status(), 200);
    await page.getByText(t(ui, 'listing.paused')).waitFor();
    assert.equal(await page.getByRole('link', { name: t(ui, 'listing.calendar') }).count(), 0,
      'a paused group offers no calendar file');

    const response = await page.goto(url(`/groups/${PAUSED}/calendar.ics?ui=${ui}`));
    assert.equal(response.status(), 404);
    assert.match(await response.headerValue('content-type'), /^text\/html/);
    assert.equal((await page.locator('h1').innerText()).trim(), t(ui, 'ics.nothing'));
    await page.getByText(t(ui, 'ics.nothing.detail')).waitFor();
    await assertNoLeak(page, 'paused .ics');
    const back = page.getByRole('link', { name: t(ui, 'error.back_to_group') });
    assert.equal(await back.getAttribute('href'), `/groups/${PAUSED}?ui=${ui}`);
    await loads(page, back.click());
    assert.equal(new URL(page.url()).pathname, `/groups/${PAUSED}`);
    await context.close();
  }
});

test('a method the site does not offer answers with a page, not a crash', async () => {
  const { context, page } = await newPage(browser);
  const response = await page.request.post(url('/?ui=en'), { form: { need: 'cost.free' } });
  assert.equal(response.status(), 405);
  const body = await response.text();
  assert.match(body, /<html lang="en"/);
  assert.ok(body.includes('href="/?ui=en"'), 'a way back');
  assert.doesNotMatch(body, /goroutine|panic|\.go:\d+/);
  await context.close();
});

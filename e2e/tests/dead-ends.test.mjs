// Never a dead end: four needs nobody meets, or words nothing matches, still
// lead somewhere, and the page says how.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  api, closeSlugs, launch, loads, needLabels, newPage, plural, resultSlugs, search, t, url,
} from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Four needs no demo space offers together.
const FOUR_NEEDS = ['identity.trans-affirming', 'sensory.quiet-space', 'care.children-welcome', 'care.childcare'];

const lackWords = (ui, labels, lack) =>
  t(ui, lack.value ? `search.close.missing.${lack.value}` : 'search.close.missing.unknown', labels[lack.need]);

for (const ui of ['en', 'es']) {
  test(`four unmet needs: the closest groups, most needs met first, each naming all it lacks (${ui})`, async () => {
    const labels = await needLabels(ui);
    const expected = await api('/api/v1/listings?' + new URLSearchParams([...FOUR_NEEDS.map((n) => ['need', n]), ['prefer_lang', ui]]));
    assert.equal(expected.total, 0, 'precondition: no demo space offers all four');
    assert.ok(expected.close_matches.length >= 5, 'precondition: several come close');

    const { context, page } = await newPage(browser);
    await search(page, { ui, needs: FOUR_NEEDS });
    await page.getByText(t(ui, 'search.results.none'), { exact: true }).waitFor();
    assert.deepEqual(await resultSlugs(page), []);

    // The same groups as the API, grouped by place in the order each place is
    // first reached, keeping the rank within each place.
    const shown = await closeSlugs(page);
    assert.deepEqual([...shown].sort(), expected.close_matches.map((h) => h.slug).sort());
    const met = (h) => FOUR_NEEDS.length - h.lacking.length;
    for (let i = 1; i < expected.close_matches.length; i++) {
      assert.ok(met(expected.close_matches[i]) <= met(expected.close_matches[i - 1]), 'ranked by needs met');
    }
    assert.ok(met(expected.close_matches[0]) >= 2, 'the first meets at least two needs');

    for (const hit of expected.close_matches) {
      const card = page.locator('section.close li.card').filter({ has: page.locator(`a[href^="/groups/${hit.slug}?"]`) });
      const lacking = (await card.locator('.missing li').allInnerTexts()).map((s) => s.trim());
      assert.deepEqual(lacking, hit.lacking.map((l) => lackWords(ui, labels, l)), `${hit.slug} names every need it lacks`);
    }

    // No option claims "(0)" and no option carries its own "What this means".
    for (const count of await page.locator('#filters .count').allInnerTexts()) assert.doesNotMatch(count, /\(0\)/);
    assert.equal(await page.locator('#filters .option details').count(), 0);
    await context.close();
  });
}

test('the need to leave out opens the most groups, as a link that leaves it out', async () => {
  const needs = ['identity.trans-affirming', 'sensory.quiet-space', 'care.children-welcome'];
  const expected = await api('/api/v1/listings?' + new URLSearchParams(needs.map((n) => ['need', n])));
  assert.equal(expected.total, 0, 'precondition');
  assert.ok(expected.best_drop, 'precondition: leaving one out finds some');
  const labels = await needLabels('en');
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(url('/?' + new URLSearchParams([['ui', 'en'], ...needs.map((n) => ['need', n])])));
  const name = t('en', `search.drop.${expected.best_drop.total === 1 ? 'one' : 'other'}`, expected.best_drop.total, labels[expected.best_drop.need]);
  const drop = page.getByRole('link', { name });
  assert.equal(await drop.count(), 1, `"${name}" is offered`);
  await loads(page, drop.click());
  const chosen = new URL(page.url()).searchParams.getAll('need');
  assert.deepEqual(chosen.sort(), needs.filter((n) => n !== expected.best_drop.need).sort());
  await page.getByText(plural('en', 'search.results.count', expected.best_drop.total), { exact: true }).waitFor();
  await context.close();
});

for (const ui of ['en', 'es']) {
  test(`a text that finds nothing says what was searched, offers the search without it and similar words (${ui})`, async () => {
    const text = 'gryeef'; // further from "grief" than typos reach
    const expected = await api('/api/v1/listings?' + new URLSearchParams([['q', text], ['lang', 'en']]));
    assert.equal(expected.total, 0, 'precondition');
    assert.ok(expected.similar.includes('grief'), 'precondition: "grief" is spelt like it');

    const { context, page } = await newPage(browser);
    await search(page, { ui, q: text, langs: ['en'] });
    await page.getByText(t(ui, 'search.results.text.none', text), { exact: true }).waitFor();
    // The closest groups: the same search without the text.
    assert.deepEqual(await closeSlugs(page).then((s) => s.length), expected.close_matches.length);
    const similar = page.locator('.ways-on').getByRole('link', { name: 'grief', exact: true });
    assert.equal(await similar.count(), 1);
    const without = page.getByRole('link', { name: t(ui, `search.without_text.${expected.without_text === 1 ? 'one' : 'other'}`, expected.without_text, text) });
    await loads(page, without.click());
    const params = new URL(page.url()).searchParams;
    assert.equal(params.get('q'), null, 'the text is gone');
    assert.deepEqual(params.getAll('lang'), ['en'], 'every other choice is kept');
    assert.ok((await resultSlugs(page)).length > 0);
    await context.close();
  });
}

test('words that fit what was asked: nothing chosen is not "everything you chose", text is named', async () => {
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  const all = await api('/api/v1/listings');
  await page.goto(url('/?ui=en'));
  assert.equal((await page.locator('.summary-line').innerText()).trim(), plural('en', 'search.results.all', all.total));
  const grief = await api('/api/v1/listings?q=grief');
  await page.goto(url('/?ui=en&q=grief'));
  const line = (await page.locator('.summary-line').innerText()).trim();
  assert.equal(line, t('en', `search.results.text.${grief.total === 1 ? 'one' : 'other'}`, grief.total, 'grief'));
  assert.doesNotMatch(line, /you chose/);
  const body = await page.locator('body').innerText();
  assert.doesNotMatch(body, /Page \d+ of \d+/, 'no page count beyond what the page shows');
  await context.close();
});

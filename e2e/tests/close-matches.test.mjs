// No dead ends: when nothing offers every need, the closest spaces appear and each
// names every need it lacks (issue 8: no longer only those lacking exactly one).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  UNMET_NEEDS, api, chooseNeed, closeSlugs, launch, loads, needLabels, newPage, plural, resultSlugs, search, t,
  url,
} from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const ui of ['en', 'es']) {
  test(`close matches appear and name what they lack when nothing meets all needs (${ui})`, async () => {
    const labels = await needLabels(ui);
    const expected = await api('/api/v1/listings?' + new URLSearchParams([...UNMET_NEEDS.map((n) => ['need', n]), ['prefer_lang', ui]]));
    assert.equal(expected.total, 0, 'precondition: no demo space offers all three');
    assert.ok(expected.close_matches.length > 0, 'precondition: some offer all but one');

    const { context, page } = await newPage(browser);
    await search(page, { ui, needs: UNMET_NEEDS });

    await assert.doesNotReject(page.getByText(t(ui, 'search.results.none'), { exact: true }).waitFor());
    assert.deepEqual(await resultSlugs(page), []);
    const close = page.locator('section.close');
    await assert.doesNotReject(close.getByRole('heading', { name: t(ui, 'search.close.heading') }).waitFor());
    // The same groups as the API; the page groups them by place.
    assert.deepEqual([...await closeSlugs(page)].sort(), expected.close_matches.map((h) => h.slug).sort());

    for (const hit of expected.close_matches) {
      const card = close.locator('li.card').filter({ has: page.locator(`a[href^="/groups/${hit.slug}?"]`) });
      const missing = (await card.locator('.missing li').allInnerTexts()).map((m) => m.trim());
      assert.deepEqual(missing, hit.lacking.map((l) =>
        t(ui, l.value ? `search.close.missing.${l.value}` : 'search.close.missing.unknown', labels[l.need])), `${hit.slug} names what it lacks`);
      // ...and shows the other chosen needs as met.
      const met = (await card.locator('.meets li').allInnerTexts()).join(' | ');
      for (const need of UNMET_NEEDS.filter((n) => !hit.lacking.some((l) => l.need === n))) {
        assert.ok(met.includes(labels[need]), `${hit.slug} shows "${labels[need]}": ${met}`);
      }
    }

    // Nothing is hidden from the form and no option claims "(0)": the person can
    // change any choice from here.
    for (const need of Object.keys(labels)) {
      const option = page.locator(`[data-option="need-${need}"]`);
      assert.equal(await option.count(), 1, `${need} is on the form`);
      assert.equal(await option.getAttribute('hidden'), null, `${need} is offered`);
    }
    assert.equal(await page.locator('details.category[hidden]').count(), 0);
    assert.deepEqual((await page.locator('#f-need .count').allInnerTexts()).filter((c) => c.trim() !== ''), []);
    // The chosen needs stay ticked and their categories open.
    for (const need of UNMET_NEEDS) {
      const box = page.locator(`input[name="need"][value="${need}"]`);
      assert.ok(await box.isChecked());
      assert.ok(await box.isVisible(), `${need} is in an open category`);
    }

    // A close match opens like any other result.
    const link = close.locator('li.card :is(h3, h4) a').first();
    const first = new URL(await link.getAttribute('href'), url('/')).pathname;
    await loads(page, link.click());
    assert.equal(new URL(page.url()).pathname, first);
    await context.close();
  });
}

test('a need that no space offers along with the others can still be chosen, with or without script', async () => {
  const [a, b, c] = UNMET_NEEDS;
  const both = await api('/api/v1/listings?' + new URLSearchParams([['need', a], ['need', b]]));
  assert.ok(both.total > 0, 'precondition: some spaces offer the first two');
  assert.equal(both.facets.tags[c] ?? 0, 0, 'precondition: none of them offers the third');

  // Without script: the page for the first two still offers the third, and
  // quietly: no "(0)" (issue 8).
  const { context, page } = await newPage(browser);
  await page.goto(url('/?' + new URLSearchParams([['ui', 'en'], ['need', a], ['need', b]])));
  assert.equal(await page.locator(`[data-option="need-${c}"]`).getAttribute('hidden'), null);
  assert.equal((await page.locator(`[data-option="need-${c}"] .count`).textContent()).trim(), '');

  // With script: after the live update for the first two, the third is still there.
  await page.goto(url('/?ui=en'));
  await chooseNeed(page, a);
  await chooseNeed(page, b);
  await page.getByRole('status').filter({ hasText: plural('en', 'search.results.count', both.total) })
    .waitFor({ state: 'attached' });
  await chooseNeed(page, c);
  await page.getByRole('status').filter({ hasText: t('en', 'search.results.none') }).waitFor({ state: 'attached' });
  assert.ok((await closeSlugs(page)).length > 0, 'close matches appear in place');
  await context.close();
});

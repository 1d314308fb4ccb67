// What a person looking for a group sees first: results before the form on a
// phone, their place and language first, focus that stays put, an address that
// holds only their choices, text that reflows when doubled, and screenshots of
// each state to look at.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DESKTOP, PHONE, api, chooseNeed, launch, newPage, resultSlugs, resultsSettled, screenshotPath, t, typicalGroupSlug,
  typicalQuery, unmetQuery, url,
} from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('on a phone the first result is in view after a search, with the choices summed up and one way to change them', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const { context, page } = await newPage(browser, { viewport: PHONE, javaScriptEnabled });
    await page.goto(url(typicalQuery('en')));
    const first = page.locator('#results li.card').first().locator(':is(h3, h4)');
    const box = await first.boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= PHONE.height,
      `first result heading at ${box?.y}–${box && box.y + box.height} px (js ${javaScriptEnabled})`);
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    const change = page.getByRole('link', { name: t('en', 'search.chosen.change') });
    assert.equal(await change.count(), 1);
    await change.click();
    await page.locator('#filters').waitFor();
    assert.ok(await page.locator('#f-q').isVisible());
    assert.ok(new URL(page.url()).hash === '#filters');
    await context.close();
  }
  // Wide screens keep the form beside the results.
  const { context, page } = await newPage(browser, { viewport: DESKTOP });
  await page.goto(url(typicalQuery('en')));
  const form = await page.locator('#filters').boundingBox();
  const results = await page.locator('#results').boundingBox();
  assert.ok(form.x > results.x + results.width - 1, 'the form sits beside the results');
  assert.ok(form.y < results.y + 200, 'side by side, not below');
  await context.close();
});

test('with no place chosen, results come grouped by place, online groups on their own', async () => {
  const expected = await api('/api/v1/listings?prefer_lang=en');
  assert.ok(expected.places.length >= 3, 'precondition: several places');
  const { context, page } = await newPage(browser);
  await page.goto(url('/?ui=en'));
  const sections = page.locator('#results > section.place');
  assert.equal(await sections.count(), expected.places.length);
  for (const [i, place] of expected.places.entries()) {
    const section = sections.nth(i);
    const heading = (await section.locator('h3').innerText()).trim();
    assert.ok(heading.startsWith(place.online_only ? t('en', 'search.place.online') : place.city), heading);
    const slugs = await section.locator('li.card h4 a').evaluateAll((as) => as.map((a) => new URL(a.href).pathname.slice(8)));
    assert.deepEqual(slugs, place.hits.map((h) => h.slug));
  }
  assert.ok(expected.places.at(-1).online_only, 'online-only groups come last');
  // A place's "see all" link counts what its page lists: the groups there and,
  // since they are open from anywhere, the online-only ones.
  const online = expected.places.at(-1).total;
  const more = expected.places.filter((p) => !p.online_only && p.total > p.hits.length);
  assert.ok(more.length > 0, 'precondition: a place with more groups than its section shows');
  for (const place of more) {
    const i = expected.places.indexOf(place);
    const key = `search.place.more_online.${place.total === 1 ? 'one' : 'other'}`;
    const link = sections.nth(i).locator('p.more a');
    assert.equal((await link.innerText()).trim(), t('en', key, place.total, place.city, online));
    const target = await api(`/api/v1/listings?${new URL(await link.getAttribute('href'), url('/')).searchParams}`);
    assert.equal(target.total, place.total + online, `the page behind "${place.city}"`);
  }
  // "Where" is asked early, and a city is one tap away.
  const where = page.getByRole('navigation', { name: t('en', 'search.where.question') });
  await where.getByRole('link', { name: 'Madrid', exact: true }).click();
  await page.waitForURL(/city=Madrid/);
  assert.equal(await page.locator('#results > section.place').count(), 0, 'a chosen place is not grouped');
  await context.close();
});

test('when the location cannot be had, the person is told beside the button, and a screen reader hears it', async () => {
  const { context, page } = await newPage(browser);
  await context.clearPermissions();
  await page.goto(url('/?ui=es'));
  await page.getByRole('button', { name: t('es', 'search.locate') }).click();
  const status = page.locator('.locate-item [role=status]');
  await status.filter({ hasText: t('es', 'search.locate.failed') }).waitFor();
  await context.close();
});

test('groups meeting in the interface language come first; English "grief" finds an English-speaking group first', async () => {
  const { context, page } = await newPage(browser);
  for (const ui of ['es', 'en']) {
    const all = await api(`/api/v1/listings?per_page=100&prefer_lang=${ui}`);
    const byslug = Object.fromEntries(all.hits.map((h) => [h.slug, h]));
    await page.goto(url(`/?ui=${ui}&city=Chicago`));
    const slugs = await resultSlugs(page);
    const meets = slugs.map((s) => byslug[s].languages.includes(ui));
    assert.ok(meets.includes(true), `some Chicago group meets in ${ui}`);
    assert.equal(meets.indexOf(false) === -1 ? meets.length : meets.indexOf(false), meets.lastIndexOf(true) + 1,
      `every group meeting in ${ui} comes before the others: ${slugs.join(', ')}`);
  }
  await page.goto(url('/?ui=en&q=grief&city=online'));
  const [first] = await resultSlugs(page);
  const hit = (await api('/api/v1/listings?q=grief&city=online&per_page=100')).hits.find((h) => h.slug === first);
  assert.ok(hit.languages.includes('en'), `${first} meets in English`);
  await context.close();
});

test('focus stays near when the option holding it disappears, and the address holds only what was chosen', async () => {
  // A language some groups meet in, and a need none of those groups offers.
  const all = await api('/api/v1/listings');
  let lang, need;
  for (const candidate of ['access.step-free', 'format.drop-in', 'cost.free', 'care.children-welcome']) {
    const withNeed = await api('/api/v1/listings?need=' + candidate);
    if (withNeed.total === 0) continue;
    lang = Object.keys(all.facets.languages).find((l) => !withNeed.facets.languages[l] && l !== 'en' && l !== 'es');
    if (lang) { need = candidate; break; }
  }
  assert.ok(lang && need, 'precondition: a language that disappears with a need');

  const { context, page } = await newPage(browser);
  await page.goto(url(`/?ui=en&need=${need}&lang=${lang}`));
  const box = page.locator(`input[name="lang"][value="${lang}"]`);
  await box.focus();
  await page.keyboard.press('Space');
  await page.locator(`[data-option="lang-${lang}"]`).waitFor({ state: 'hidden' });
  // The script moves focus as it swaps the results in; wait for focus to come to
  // rest in the form (a dropped focus stays on <body> and fails below).
  await page.waitForFunction(() => document.activeElement && document.activeElement.tagName !== 'BODY',
    null, { timeout: 10_000 }).catch(() => {});
  const focused = await page.evaluate(() => ({
    tag: document.activeElement.tagName, inForm: !!document.activeElement.closest('#filters'),
    visible: !!document.activeElement.offsetParent,
  }));
  assert.notEqual(focused.tag, 'BODY', 'focus is not dropped');
  assert.ok(focused.inForm && focused.visible, JSON.stringify(focused));

  const address = new URL(page.url());
  for (const [name, value] of address.searchParams) {
    assert.notEqual(value.trim(), '', `${name} is empty in the address`);
  }
  assert.equal(address.searchParams.get('sort'), null, 'the usual order is not written');
  assert.deepEqual(address.searchParams.getAll('need'), [need]);
  await context.close();
});

test('with the text doubled at 320 px nothing overflows and no word is broken', async () => {
  const { context, page } = await newPage(browser, { viewport: { width: 320, height: 640 } });
  for (const path of [typicalQuery('en'), typicalQuery('es'), unmetQuery('es')]) {
    await page.goto(url(path));
    // Text at 200%, as a browser's text size setting does: every size here is in rem or em.
    await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    const problems = await page.evaluate(() => {
      const out = [];
      if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page is ${document.documentElement.scrollWidth} px wide`);
      for (const el of document.querySelectorAll('#f-when .option, #f-mode .option, #f-lang .option')) {
        const r = el.getBoundingClientRect();
        const parent = el.closest('fieldset').getBoundingClientRect();
        if (r.right > parent.right + 1) out.push(`${el.textContent.trim()} overflows its group`);
      }
      // A word whose letters land on two lines, though it would fit on one, was
      // broken mid-word.
      for (const label of document.querySelectorAll('#filters label, #results h3, #results h4')) {
        const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const re = /[^\s\u2010-]+/g; // a break at a hyphen is a fair break
          for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const rects = [...range.getClientRects()];
            const tops = new Set(rects.map((rect) => Math.round(rect.top)));
            // Only a word wider than the whole line may be broken.
            const width = rects.reduce((sum, rect) => sum + rect.width, 0);
            if (tops.size > 1 && width <= label.getBoundingClientRect().width) out.push(`"${m[0]}" is broken across lines`);
          }
        }
      }
      return out;
    });
    assert.deepEqual(problems, [], path);
  }
  await context.close();
});

test('small things: no "español · Español", times say their zone, the language note comes before the text', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(url('/?ui=es'));
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /español · Español/i);
  await page.goto(url('/?ui=en&city=online'));
  const next = page.locator('#results li.card time').first();
  assert.match(await next.innerText(), /\(.+ time\)/, 'the zone of the next meeting is named');
  await page.locator('#results li.card .local-time').first().waitFor({ state: 'attached' });
  const local = await page.locator('#results li.card .local-time').first().innerText();
  assert.match(local, /your time$/);
  assert.doesNotMatch(local, /AM|PM/, 'one time style');
  await context.close();

  const es = await api('/api/v1/listings?lang=en&per_page=1');
  const { context: c2, page: p2 } = await newPage(browser);
  await p2.goto(url(`/groups/${es.hits[0].slug}?ui=es`));
  const order = await p2.evaluate(() => {
    const note = [...document.querySelectorAll('.hint')].find((p) => p.textContent.includes('escrita en'));
    const summary = document.querySelector('.summary');
    return note && summary ? note.compareDocumentPosition(summary) & Node.DOCUMENT_POSITION_FOLLOWING : -1;
  });
  assert.ok(order > 0, 'the note on the language comes before the text it is about');
  await c2.close();
});

test('screenshots of the search and group pages at 390 and 1280 px in both languages', async () => {
  const slug = await typicalGroupSlug(browser);
  const states = (ui) => [
    ['search-empty', `/?ui=${ui}`],
    ['search-results', typicalQuery(ui)],
    ['search-close', unmetQuery(ui) + '&need=care.childcare'],
    ['group', `/groups/${slug}?ui=${ui}`],
  ];
  for (const ui of ['en', 'es']) {
    for (const viewport of [PHONE, DESKTOP]) {
      const { context, page } = await newPage(browser, { viewport });
      for (const [name, path] of states(ui)) {
        await page.goto(url(path));
        await page.screenshot({ path: screenshotPath(`${name}-${ui}-${viewport.width}`), fullPage: viewport === DESKTOP });
      }
      await context.close();
    }
  }
});

test('a need chosen with the form still works with script: choosing one keeps the page in place', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(url('/?ui=en'));
  await chooseNeed(page, 'cost.free');
  await page.waitForURL(/need=cost.free/);
  assert.doesNotMatch(page.url(), /q=&|city=&|near=&|sort=relevance/);
  await context.close();
});

test('on a phone the box a person ticks stays under their finger while the results above it change', async () => {
  const { context, page } = await newPage(browser, { viewport: PHONE });
  await page.goto(url('/?ui=en'));
  for (const slug of ['cost.free', 'access.step-free']) {
    const box = page.locator(`input[name="need"][value="${slug}"]`);
    const category = page.locator('details.category').filter({ has: box });
    if (!(await category.evaluate((d) => d.open))) await category.locator('summary').first().click();
    await box.scrollIntoViewIfNeeded();
    const before = await box.boundingBox();
    const resultsBefore = await page.locator('#results').boundingBox();
    await box.check();
    await resultsSettled(page);
    const resultsAfter = await page.locator('#results').boundingBox();
    assert.ok(resultsBefore.y < before.y, 'precondition: on a phone the results come before the form');
    assert.notEqual(resultsAfter.height, resultsBefore.height, `precondition: ${slug} changes the length of the results`);
    const after = await box.boundingBox();
    assert.ok(Math.abs(after.y - before.y) < 1, `${slug}: the box moved from ${before.y} to ${after.y} px`);
    assert.ok(await box.isChecked(), `${slug} stays ticked`);
  }
  await context.close();
});

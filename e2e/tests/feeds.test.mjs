// An admin reads the feed subscriptions page, a feed's import report (with
// items that could not be imported, markup among them) and the form refusing a
// bad address: every page passes axe (WCAG 2.2 AA) in both languages.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import {
  axeViolations, describeViolations, launch, loads, newPage, screenshotPath, t, url,
} from './browser.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN = 'e2e-admin@example.org';
let browser;
let fixtures;
let feedName;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'belong-e2e-feeds-'));
  fixtures = join(dir, 'fixtures');
  execFileSync('go', ['build', '-o', fixtures, './e2e/fixtures'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(fixtures, ['prepare'], { encoding: 'utf8' });
  // A feed imported on the command line: two good meetings, two it cannot take.
  feedName = `E2E Intergroup ${Date.now()}`;
  const feed = join(dir, 'meetings.json');
  writeFileSync(feed, JSON.stringify([
    { name: 'Harbour Lights', slug: `e2e-harbour-${Date.now()}`, day: [1, 4], time: '18:30', timezone: 'America/Chicago',
      types: ['O', 'D', 'X', 'S'], formatted_address: '12 Quay St, Tulsa, OK 74103, USA', latitude: 200, longitude: 1,
      notes: 'Tea from six.' },
    { name: 'Online Mornings', slug: `e2e-mornings-${Date.now()}`, day: 2, time: '07:00', timezone: 'America/Chicago',
      conference_url: 'https://meet.example/room', approximate: 'yes' },
    { name: '<script>alert(1)</script>', slug: 'e2e-bad-day', day: 9, time: '10:00' },
    { name: 'No zone', slug: 'e2e-no-zone', day: 1, time: '10:00', timezone: 'Mars/Olympus' },
  ]));
  const run = spawnSync(join(ROOT, 'bin/belong'), ['import', 'meeting-guide', feed, '--name', feedName], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /2 added/);
  browser = await launch();
});
after(async () => { await browser?.close(); });

async function assertAxeClean(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations.map((v) => v.id), [], `${what}:\n${describeViolations(violations)}`);
}

async function signIn(page) {
  await page.goto(url('/sign-in?ui=en'));
  await page.getByLabel(t('en', 'signin.email')).fill(ADMIN);
  await loads(page, page.getByRole('button', { name: t('en', 'signin.send') }).click());
  const link = execFileSync(fixtures, ['link', ADMIN], { encoding: 'utf8' }).trim();
  await page.goto(url(link));
  await loads(page, page.locator('main button[type=submit]').click());
}

test('the feed subscriptions page and the import report pass axe in both languages', async () => {
  const { context, page } = await newPage(browser);
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
  await signIn(page);
  for (const ui of ['en', 'es']) {
    await page.goto(url(`/admin/feeds?ui=${ui}`));
    assert.equal(await page.locator('h1').innerText(), t(ui, 'feeds.title'));
    await assertAxeClean(page, `the feeds page (${ui})`);

    // A refused subscription: the summary links to the field, which says why.
    await page.getByLabel(t(ui, 'feeds.field.url')).fill('http://intergroup.example/feed.json');
    await loads(page, page.getByRole('button', { name: t(ui, 'feeds.add.button') }).click());
    assert.equal(await page.locator('#f-url').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#problems a[href="#f-url"]').count(), 1);
    await assertAxeClean(page, `the feeds page with a refused address (${ui})`);

    await loads(page, page.getByRole('link', { name: feedName }).click());
    assert.equal(await page.locator('h1').innerText(), feedName);
    await page.getByRole('table', { name: t(ui, 'feeds.report.skipped') }).waitFor();
    assert.match(await page.locator('table.report').first().innerText(), /<script>alert\(1\)<\/script>/);
    await assertAxeClean(page, `the import report (${ui})`);
    if (ui === 'en') await page.screenshot({ path: screenshotPath('feed-report'), fullPage: true });
  }
  assert.equal(dialogs, 0, 'no script from the feed ran');
  await context.close();
});

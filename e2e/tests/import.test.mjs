// An admin imports listings from a spreadsheet: a file with mistakes gets a
// report of every problem by row and column and nothing is saved; the fixed
// file shows what would happen, imports, and the listing is there. Every page
// of the way passes axe (WCAG 2.2 AA) in both languages.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import {
  PHONE, assertNoLeak, axeViolations, describeViolations, launch, loads, newPage, plural, screenshotPath, t, url,
} from './browser.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN = 'e2e-import-admin@example.org';
let browser;
let fixtures;

before(async () => {
  fixtures = join(mkdtempSync(join(tmpdir(), 'belong-e2e-')), 'fixtures');
  execFileSync('go', ['build', '-o', fixtures, './e2e/fixtures'], { cwd: ROOT, stdio: 'inherit' });
  // The account, as the first admin of a directory gets one (scripts/e2e.sh
  // exports DATABASE_URL); a second run finds it there already.
  addUser('admin', ADMIN);
  browser = await launch();
});

// addUser gives someone an account, as `belong user add` does; a second run
// finds it there already.
function addUser(role, email) {
  try {
    execFileSync(join(ROOT, 'bin/belong'), ['user', 'add', '--role', role, '--email', email], { stdio: 'pipe' });
  } catch (err) {
    assert.match(String(err.stderr), /already/i, String(err.stderr));
  }
}
after(async () => { await browser?.close(); });

async function signIn(page, ui) {
  await page.goto(url(`/sign-in?ui=${ui}`));
  await page.getByLabel(t(ui, 'signin.email')).fill(ADMIN);
  await loads(page, page.getByRole('button', { name: t(ui, 'signin.send') }).click());
  const link = execFileSync(fixtures, ['link', ADMIN], { encoding: 'utf8' }).trim();
  await page.goto(url(link));
  await loads(page, page.getByRole('button', { name: t(ui, 'signin.link.button') }).click());
}

async function assertAxeClean(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations.map((v) => v.id), [], `${what}:\n${describeViolations(violations)}`);
}

const HEADER = 'name,summary,organization,days,starts,ends,time_zone,city,country,cost.free,access.step-free\n';

async function upload(page, ui, csv) {
  await page.getByLabel(t(ui, 'import.file')).setInputFiles({ name: 'listings.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  return loads(page, page.getByRole('button', { name: t(ui, 'import.check') }).click());
}

for (const ui of ['en', 'es']) {
  test(`an admin fixes a spreadsheet by its report and imports it; every page passes axe (${ui})`, async () => {
    const { context, page } = await newPage(browser, ui === 'es' ? { viewport: PHONE } : {});
    await signIn(page, ui);
    await page.goto(url(`/admin/import?ui=${ui}`));
    assert.equal(await page.locator('h1').innerText(), t(ui, 'import.title'));
    await assertAxeClean(page, `the upload page (${ui})`);

    await page.getByRole('link', { name: t(ui, 'import.guide.link') }).click();
    assert.equal(await page.locator('h1').innerText(), t(ui, 'import.guide.title'));
    assert.ok(await page.locator('code', { hasText: 'access.step-free' }).count() > 0);
    await assertAxeClean(page, `the column guide (${ui})`);
    await page.screenshot({ path: screenshotPath(`import-columns-${ui}`), fullPage: true });
    await page.goto(url(`/admin/import?ui=${ui}`));

    const name = `Harbour Light Circle ${randomBytes(3).toString('hex')}`;
    const slug = name.toLowerCase().replaceAll(' ', '-');
    const bad = HEADER +
      `${name},A calm circle by the water.,Harbour Friends,Wednesday,25:00,20:00,America/Chicago,Chicago,USA,maybe,yes\n` +
      `,No name on this row.,Harbour Friends,Funday,19:00,20:00,America/Chicago,Chicago,US,yes,\n`;
    const response = await upload(page, ui, bad);
    assert.equal(response.status(), 422);
    await assertNoLeak(page, 'the report');
    assert.equal(await page.locator('#problems h2').innerText(), plural(ui, 'import.report.problems', 5));
    const rows = await page.locator('#report tbody tr').evaluateAll((trs) => trs.map((tr) =>
      [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.innerText.trim()).join(' ')));
    assert.deepEqual(rows.sort(), ['2 cost.free', '2 country', '2 starts', '3 days', '3 name']);
    assert.ok(await page.getByText(t(ui, 'import.problem.time')).isVisible());
    assert.equal(await page.getByRole('button', { name: plural(ui, 'import.apply', 1) }).count(), 0,
      'a file with problems cannot be imported');
    await assertAxeClean(page, `the report of problems (${ui})`);
    await page.screenshot({ path: screenshotPath(`import-problems-${ui}`), fullPage: true });
    const other = await context.newPage();
    assert.equal((await other.goto(url(`/groups/${slug}`))).status(), 404, 'nothing was saved');
    await other.close();

    // The corrected file, through the form under the report.
    const good = HEADER +
      `${name},A calm circle by the water.,Harbour Friends,Wednesday,19:00,20:00,America/Chicago,Chicago,US,yes,partly: ramp at the side door\n`;
    assert.equal(await page.locator('#upload').innerText(), t(ui, 'import.again'));
    assert.equal((await upload(page, ui, good)).status(), 200);
    assert.equal(await page.locator('#ready').innerText(), plural(ui, 'import.ready', 1));
    assert.ok(await page.locator('#report').getByText(`/groups/${slug}`).isVisible());
    await assertAxeClean(page, `the report of what would be imported (${ui})`);
    await page.screenshot({ path: screenshotPath(`import-ready-${ui}`), fullPage: true });
    await loads(page, page.getByRole('button', { name: plural(ui, 'import.apply', 1) }).click());
    assert.equal(new URL(page.url()).searchParams.get('done'), 'imported');
    assert.equal(await page.locator('p.notice').innerText(), t(ui, 'import.done', '1', '0'));
    await assertAxeClean(page, `the import confirmation (${ui})`);

    assert.equal((await page.goto(url(`/groups/${slug}?ui=${ui}`))).status(), 200);
    assert.equal(await page.locator('h1').innerText(), name);
    assert.ok(await page.getByText('ramp at the side door').isVisible());

    // The accounts page, with its long addresses and buttons, fits the screen.
    const long = `e2e-a-moderator-with-a-rather-long-address-${ui}@neighbourhood-association.example.org`;
    addUser('moderator', long);
    await page.goto(url(`/admin/users?ui=${ui}`));
    const width = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,
      [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > innerWidth + 1)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 40)}"`).slice(0, 4)]);
    assert.ok(width[0] <= width[1], `the accounts page is ${width[0]} px wide on a ${width[1]} px screen: ${width[2]}`);
    await context.close();
  });
}

test('someone not signed in is sent to sign in, not given the template', async () => {
  const { context, page } = await newPage(browser);
  const response = await page.goto(url('/admin/import/template.csv'));
  assert.equal(new URL(page.url()).pathname, '/sign-in', `anonymous: ${response.status()}`);
  await context.close();
});

// The Meeting Guide feed as meeting finders on other sites read it: a script in
// a page of another origin fetches it (CORS), lists the meetings and filters
// them by day, type and time, as TSML UI and the Meeting Guide app do.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { launch, newPage, url } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a page-less client on another origin reads and filters the feed', async () => {
  // A meeting finder on another origin: a page served by a second server on
  // this machine (another port is another origin), so what is tested is CORS,
  // not the browser's rules on reaching loopback addresses from elsewhere.
  const finder = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><html lang="en"><title>Meeting finder</title></html>');
  });
  await new Promise((ready) => finder.listen(0, '127.0.0.1', ready));
  const { context, page } = await newPage(browser);
  const feed = new URL(url('/api/meeting-guide.json'));
  await page.goto(`http://127.0.0.1:${finder.address().port}/`);
  assert.notEqual(await page.evaluate(() => location.origin), feed.origin, 'the client is on another origin');
  const seen = await page.evaluate(async (feedURL) => {
    const res = await fetch(feedURL);
    const meetings = await res.json();
    const days = new Set(meetings.map((m) => m.day));
    const byDay = (d) => meetings.filter((m) => m.day === d);
    const withType = (code) => meetings.filter((m) => m.types.includes(code));
    const evening = meetings.filter((m) => m.time >= '17:00');
    const online = meetings.filter((m) => m.conference_url);
    const approximate = meetings.filter((m) => m.approximate === 'yes');
    return {
      status: res.status,
      count: meetings.length,
      slugsUnique: new Set(meetings.map((m) => m.slug)).size === meetings.length,
      everyDayNumber: meetings.every((m) => Number.isInteger(m.day) && m.day >= 0 && m.day <= 6),
      everyZone: meetings.every((m) => typeof m.timezone === 'string' && m.timezone.includes('/')),
      days: [...days].sort(),
      perDay: [0, 1, 2, 3, 4, 5, 6].map((d) => byDay(d).length),
      stepFree: withType('X').length,
      spanish: withType('S').map((m) => m.slug),
      onlineTyped: withType('ONL').length,
      onlineUntyped: online.filter((m) => !m.types.includes('ONL')).length,
      evening: evening.length,
      approximateWithPosition: approximate.filter((m) => 'latitude' in m).length,
      firstURL: meetings[0]?.url,
    };
  }, feed.href);

  assert.equal(seen.status, 200);
  // The browser let a page of another origin read it: CORS is open.
  const direct = await fetch(feed, { headers: { origin: 'https://meetings.example' } });
  assert.equal(direct.headers.get('access-control-allow-origin'), '*', 'the feed is open to every origin');
  assert.ok(seen.count >= 10, `the demo directory has weekly meetings (${seen.count})`);
  assert.ok(seen.slugsUnique, 'every meeting has its own slug');
  assert.ok(seen.everyDayNumber, 'day is one weekday number, never an array');
  assert.ok(seen.everyZone, 'every meeting names its time zone');
  assert.equal(seen.perDay.reduce((a, b) => a + b, 0), seen.count, 'filtering by day partitions the feed');
  assert.ok(seen.days.length >= 3, `meetings on several days (${seen.days})`);
  assert.ok(seen.stepFree > 0 && seen.stepFree < seen.count, 'filtering by a type keeps some meetings');
  assert.ok(seen.spanish.length > 0, 'groups meeting in Spanish carry S');
  assert.ok(seen.onlineTyped > 0, 'online meetings are typed ONL');
  assert.equal(seen.onlineUntyped, 0, 'every meeting with a join link is typed ONL');
  assert.ok(seen.evening > 0, 'filtering by time works');
  assert.equal(seen.approximateWithPosition, 0, 'an approximate place gives no position');
  assert.ok(seen.firstURL.startsWith(url('/groups/')), 'each meeting links to its group page');

  // The group page a meeting links to is there.
  const res = await page.goto(seen.firstURL);
  assert.equal(res.status(), 200);
  await context.close();
  finder.close();
});

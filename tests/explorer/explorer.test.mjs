// The web latent explorer in a real browser (issue 17): Debian's chromium driven by
// playwright-core (which downloads no browser). A 2-D VAE is trained for a few epochs on 1024
// MNIST samples, `aekit serve` serves it on a free port, and the page must: draw the scatter,
// show an input thumbnail on hover, decode a clicked point and an empty spot, build the
// interpolation strip from two picked points and move its frame with the slider, draw the
// decoded grid, and load nothing from anywhere but the server. Screenshots go to
// $AEKIT_SCREENSHOT_DIR. Finally SIGTERM must stop the server cleanly (exit 0).
//   AEKIT_BINARY=build/aekit AEKIT_SOURCE_DIR=. AEKIT_SCREENSHOT_DIR=build/explorer_screenshots \
//     node --test tests/explorer/
// AEKIT_EXPLORER_RUN=DIR serves that 2-D run instead of training one (docs/figures/explorer.png
// is the interpolation screenshot of a fully trained configs/vae2d_mnist.json run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const bin = process.env.AEKIT_BINARY;
const src = process.env.AEKIT_SOURCE_DIR;
const shots = process.env.AEKIT_SCREENSHOT_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'aekit-shots-'));
assert.ok(bin && src, 'set AEKIT_BINARY and AEKIT_SOURCE_DIR');

// Starts `aekit serve` and resolves with its URL once it prints the line it serves on.
function startServer(run) {
  const child = spawn(bin, ['serve', '--run', run, '--port', '0', '--points', '600'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => reject(new Error(`aekit serve exited with ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`aekit serve did not start: ${out}`)), 60000);
  });
  return { child, url, output: () => out };
}

test('explorer: hover, click, interpolate, grid in chromium', { timeout: 300000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aekit-explorer-'));
  const given = process.env.AEKIT_EXPLORER_RUN;
  const run = given || path.join(dir, 'run');
  if (!given) execFileSync(bin, ['train', '--config', path.join(src, 'configs/vae2d_mnist.json'), '--data', path.join(src, 'data/mnist'),
                     '--limit', '1024', '--epochs', '3', '--out', run, '--quiet', '--no-figures'], { stdio: 'ignore' });
  fs.mkdirSync(shots, { recursive: true });
  const server = startServer(run);
  const base = await server.url;
  const browser = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = browser.pages()[0] || await browser.newPage();
    const elsewhere = [];
    page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('blob:')) elsewhere.push(r.url()); });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    await page.goto(base);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
    assert.match(await page.textContent('#projection'), /2-D codes themselves .* 600 test samples/);
    assert.match(await page.textContent('#status'), given ? /\d+ epoch\(s\)/ : /3 epoch\(s\)/);
    await page.screenshot({ path: path.join(shots, 'explorer_loaded.png') });

    const box = await page.locator('#scatter').boundingBox();
    const at = async (i) => {
      const [x, y] = await page.evaluate((k) => window.explorer.screenOf(k), i);
      return [box.x + x, box.y + y];
    };
    // Two points of different labels, far apart, inside the canvas.
    const pick = await page.evaluate(() => {
      const { xy, labels } = window.explorer.state.points;
      const on = (i) => { const [x, y] = window.explorer.screenOf(i); return x > 20 && y > 20 && x < 620 && y < 620; };
      let best = [0, 1], bestD = -1;
      for (let i = 0; i < 60; ++i) for (let j = 0; j < 60; ++j) {
        if (labels[i] === labels[j] || !on(i) || !on(j)) continue;
        const d = (xy[i][0] - xy[j][0]) ** 2 + (xy[i][1] - xy[j][1]) ** 2;
        if (d > bestD) { bestD = d; best = [i, j]; }
      }
      return best;
    });

    // Hover: the thumbnail of the input under the pointer (28x28 at scale 3).
    const [ax, ay] = await at(pick[0]);
    await page.mouse.move(ax, ay);
    await page.waitForSelector('#hover:not([hidden])');
    await page.waitForFunction(() => document.getElementById('hover-img').naturalWidth === 84);
    assert.match(await page.textContent('#hover-label'), /label \d/);
    await page.screenshot({ path: path.join(shots, 'explorer_hover.png') });

    // Click: the decoded image of that point (28x28 at scale 4), and it becomes pick A.
    await page.mouse.click(ax, ay);
    await page.waitForFunction(() => document.getElementById('decoded').naturalWidth === 112);
    assert.match(await page.textContent('#decoded-caption'), /point #\d+.*decoded/);
    assert.equal(await page.textContent('#pick-a'), `#${pick[0]}`);

    // A second point: pick B, then the interpolation strip of 11 frames.
    const [bx, by] = await at(pick[1]);
    await page.mouse.click(bx, by);
    await page.waitForFunction(() => document.getElementById('strip').naturalWidth === 11 * 28);
    assert.equal(await page.textContent('#pick-b'), `#${pick[1]}`);
    const frame = () => page.evaluate(() => document.getElementById('frame').toDataURL());
    const first = await frame();
    await page.focus('#slider');
    for (let k = 0; k < 10; ++k) await page.keyboard.press('ArrowRight');
    assert.equal(await page.inputValue('#slider'), '10');
    assert.match(await page.textContent('#slider-t'), /t = 1\.0 \(linear\)/);
    const last = await frame();
    assert.notEqual(first, last, 'the frame follows the slider');
    await page.screenshot({ path: path.join(shots, 'explorer_interpolation.png') });
    await page.selectOption('#method', 'spherical');
    await page.waitForFunction(() => /spherical/.test(document.getElementById('slider-t').textContent));

    // An empty spot (the canvas corner) decodes too.
    await page.mouse.click(box.x + 3, box.y + 3);
    await page.waitForFunction(() => /position/.test(document.getElementById('decoded-caption').textContent));

    // The decoded grid of the visible region, under the points.
    await page.check('#grid-on');
    await page.waitForFunction(() => window.explorer.state.grid !== null);
    await page.screenshot({ path: path.join(shots, 'explorer_grid.png') });

    // The loss curves: one row per epoch in the page's data.
    if (!given) assert.equal(await page.evaluate(() => window.explorer.state.info.metrics.length), 3);
    assert.deepEqual(elsewhere, [], 'the page loads nothing from elsewhere');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
  }
  const code = await new Promise((resolve) => server.child.on('exit', resolve));
  assert.equal(code, 0, `aekit serve on SIGTERM: ${server.output()}`);
  assert.match(server.output(), /stopped/);
  fs.rmSync(dir, { recursive: true, force: true });
});

// ONNX parity (issue 16): for every shipped config, a freshly initialised run (trained for one
// step-sized epoch on 64 samples) is exported with `aekit export --onnx DIR --samples 8`;
// onnxruntime loads encoder.onnx and decoder.onnx and must reproduce aekit's outputs on the
// reference inputs to 1e-4 (max absolute difference).
//   AEKIT_BINARY=build/aekit AEKIT_SOURCE_DIR=. node --test tests/onnx/
// Writes the parity table to $AEKIT_PARITY_TABLE when set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

const bin = process.env.AEKIT_BINARY;
const src = process.env.AEKIT_SOURCE_DIR;
assert.ok(bin && src, 'set AEKIT_BINARY and AEKIT_SOURCE_DIR');
const tolerance = 1e-4;

// safetensors: u64 header length, JSON header, then little-endian data.
function readSafetensors(file) {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const out = {};
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    assert.equal(t.dtype, 'F32');
    const [a, b] = t.data_offsets;
    const bytes = buf.subarray(8 + n + a, 8 + n + b);
    const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    out[name] = { shape: t.shape, data };
  }
  return out;
}

function maxAbsDiff(a, b) {
  assert.equal(a.length, b.length, `sizes ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; ++i) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

// The sentence configs read a Reuters corpus and GloVe from ../shared; the test writes a tiny
// invented corpus and 50-d vectors instead and keeps the configs' models.
function tinyCorpus(dir) {
  const reuters = path.join(dir, 'reuters');
  fs.mkdirSync(reuters, { recursive: true });
  const subjects = ['Oil prices', 'Gold', 'Zinc output', 'The dollar', 'Wheat exports', 'Bank shares'];
  const verbs = ['rose', 'fell', 'climbed', 'eased'];
  const tails = ['on Monday.', 'after the report.', 'in early trade.', 'on strong demand.', '5 pct.'];
  let sgml = '<!DOCTYPE lewis SYSTEM "lewis.dtd">\n';
  const words = new Set();
  for (let s = 0; s < 6; ++s) {
    let body = '';
    for (let k = 0; k < 5; ++k) {
      const sentence = `${subjects[(s + k) % 6]} ${verbs[(s * 3 + k) % 4]} ${tails[(s + 2 * k) % 5]} `;
      body += sentence;
      for (const w of sentence.toLowerCase().split(/[^a-z0-9]+/)) if (w) words.add(w);
    }
    sgml += `<REUTERS NEWID="${s + 1}">\n<TEXT>&#2;\n<TITLE>${subjects[s]} NEWS</TITLE>\n<BODY>${body}\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n`;
  }
  fs.writeFileSync(path.join(reuters, 'reut2-000.sgm'), sgml);
  let glove = '';
  let i = 0;
  for (const w of [...words, '.', 'reuter', 'news']) {
    ++i;
    glove += `${w} ${Array.from({ length: 50 }, (_, j) => Math.sin(0.7 * i + 1.3 * j).toFixed(4)).join(' ')}\n`;
  }
  const gloveFile = path.join(dir, 'glove.txt');
  fs.writeFileSync(gloveFile, glove);
  return { reuters, glove: gloveFile };
}

// The colour configs read a folder of image files: the test writes a few binary PPM files (a
// format the image source reads) in two class folders, at the config's size.
function tinyImageFolder(dir, [h, w]) {
  const folder = path.join(dir, 'images');
  for (const [c, cls] of ['red', 'blue'].entries()) {
    fs.mkdirSync(path.join(folder, cls), { recursive: true });
    for (let k = 0; k < 6; ++k) {
      const px = Buffer.alloc(h * w * 3);
      for (let i = 0; i < px.length; ++i) px[i] = (i % 3 === (c ? 2 : 0) ? 200 : 60) + ((i * 7 + k * 13) % 40);
      fs.writeFileSync(path.join(folder, cls, `${k}.ppm`), Buffer.concat([Buffer.from(`P6\n${w} ${h}\n255\n`), px]));
    }
  }
  return folder;
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aekit-onnx-'));
// Every shipped config, and test-only ones (tests/onnx/zoo_*.json) for the layers and options
// no shipped config uses.
const configs = [
  ...fs.readdirSync(path.join(src, 'configs')).filter((f) => f.endsWith('.json')).sort()
    .map((f) => path.join(src, 'configs', f)),
  ...fs.readdirSync(path.join(src, 'tests/onnx')).filter((f) => /^zoo_.*\.json$/.test(f)).sort()
    .map((f) => path.join(src, 'tests/onnx', f)),
];
const table = [];

for (let config of configs) {
  const file = path.basename(config);
  const name = file.replace(/\.json$/, '');
  test(`onnx parity: ${name}`, async () => {
    const cfg = JSON.parse(fs.readFileSync(config, 'utf8'));
    const dir = path.join(scratch, name);
    fs.mkdirSync(dir, { recursive: true });
    if (cfg.data && cfg.data.kind === 'sentences') {
      const corpus = tinyCorpus(dir);
      cfg.data = { ...cfg.data, dataset: corpus.reuters, glove: corpus.glove, seq_len: 12, vocab_size: 60 };
      delete cfg.data.train_limit;
      delete cfg.data.test_limit;
      // The decoder repeats the code seq_len times: follow the shorter sentences.
      for (const l of cfg.model.decoder) if (l.type === 'repeat_vector') l.n = 12;
      config = path.join(dir, file);
      fs.writeFileSync(config, JSON.stringify(cfg));
    }
    if (cfg.data && cfg.data.path !== undefined && (cfg.data.kind || 'images') === 'images') {
      cfg.data = { ...cfg.data, path: tinyImageFolder(dir, cfg.data.size || [64, 64]), cache_dir: path.join(dir, 'cache') };
      config = path.join(dir, file);
      fs.writeFileSync(config, JSON.stringify(cfg));
    }
    const run = path.join(dir, 'run');
    const env = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' };
    execFileSync(bin, ['train', '--config', config, '--data', cfg.data && cfg.data.kind === 'sentences'
      ? cfg.data.dataset : cfg.data.path !== undefined ? cfg.data.path
        : (cfg.data.dataset === 'mnist' ? path.join(src, 'data/mnist') : cfg.data.dataset),
    '--limit', '64', '--epochs', '1', '--quiet', '--no-figures', '--out', run], { env, stdio: 'pipe' });
    const out = path.join(dir, 'onnx');
    execFileSync(bin, ['export', '--run', run, '--onnx', out, '--samples', '8'], { env, stdio: 'pipe' });
    const ref = readSafetensors(path.join(out, 'samples.safetensors'));

    const enc = await ort.InferenceSession.create(path.join(out, 'encoder.onnx'));
    const dec = await ort.InferenceSession.create(path.join(out, 'decoder.onnx'));
    assert.deepEqual(enc.inputNames, ['x']);
    assert.deepEqual(dec.inputNames, ['z']);
    assert.deepEqual(dec.outputNames, ['x_hat']);
    const e = await enc.run({ x: new ort.Tensor('float32', ref.x.data, ref.x.shape) });
    let encDiff = 0;
    const outputs = 'mean' in ref ? ['mean', 'log_variance'] : ['code'];
    assert.deepEqual(enc.outputNames, outputs);
    for (const o of outputs) {
      assert.deepEqual(Array.from(e[o].dims), ref[o].shape, `${o} shape`);
      encDiff = Math.max(encDiff, maxAbsDiff(e[o].data, ref[o].data));
    }
    const d = await dec.run({ z: new ort.Tensor('float32', ref.z.data, ref.z.shape) });
    assert.deepEqual(Array.from(d.x_hat.dims), ref.x_hat.shape, 'x_hat shape');
    const decDiff = maxAbsDiff(d.x_hat.data, ref.x_hat.data);
    table.push({ name, encDiff, decDiff });
    assert.ok(encDiff <= tolerance, `${name}: encoder max abs diff ${encDiff}`);
    assert.ok(decDiff <= tolerance, `${name}: decoder max abs diff ${decDiff}`);
  });
}

test('parity table', () => {
  const lines = ['| config | encoder max abs diff | decoder max abs diff |', '|---|---|---|'];
  for (const r of table) lines.push(`| ${r.name} | ${r.encDiff.toExponential(2)} | ${r.decDiff.toExponential(2)} |`);
  console.log(lines.join('\n'));
  if (process.env.AEKIT_PARITY_TABLE) fs.writeFileSync(process.env.AEKIT_PARITY_TABLE, lines.join('\n') + '\n');
  fs.rmSync(scratch, { recursive: true, force: true });
  assert.equal(table.length, configs.length);
});

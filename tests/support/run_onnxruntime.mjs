// Runs an .onnx model in ONNX Runtime (npm onnxruntime-node, CPU, 1 intra-op
// thread unless --threads) for the tests and for `detlite bench
// --vs-onnxruntime`. Same contract as tests/oracle/run_tflite.mjs.
//
// Usage:
//   node run_onnxruntime.mjs --model M.onnx --out DIR [--runs N] [--warmup N]
//                            [--threads N] [--serve] INPUT0.bin [INPUT1.bin ...]
// Each INPUT is the raw little-endian float32 bytes of one model input, in
// order. Writes DIR/out<i>.bin, DIR/outputs.json ([{index, name, dtype,
// shape}]) and DIR/timing.json, and prints the timing as one JSON line.
// With --serve it prints "ready VERSION" once the session exists, then for every
// line "run" on stdin runs once and prints the milliseconds it took, until
// "quit" or end of input (outputs are written at the end): the caller
// interleaves these runs with its own.
// On failure: one line "CODE: detail" on stderr and a non-zero exit:
//   1 USAGE / ORT_NOT_FOUND / ERROR   2 CREATE_FAILED   3 INPUT_COUNT /
//   INPUT_SIZE   4 RUN_FAILED
//
// onnxruntime-node is looked up in $DETLITE_ONNXRUNTIME_DIR, else
// .deps/npm/node_modules/onnxruntime-node of this repo.
import fs from 'fs';
import path from 'path';
import readline from 'readline';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

class Failure extends Error {
  constructor(code, detail, exitCode) {
    super(`${code}: ${detail}`);
    this.exitCode = exitCode;
  }
}

function parseArgs(argv) {
  const opts = { runs: 1, warmup: 0, threads: 1, serve: false, inputs: [] };
  const valueFlags = new Set(['--model', '--out', '--runs', '--warmup', '--threads']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (valueFlags.has(a)) {
      if (i + 1 >= argv.length) throw new Failure('USAGE', `${a} needs a value`, 1);
      opts[a.slice(2)] = argv[++i];
    } else if (a === '--serve') {
      opts.serve = true;
    } else if (a.startsWith('--')) {
      throw new Failure('USAGE', `unknown flag ${a}`, 1);
    } else {
      opts.inputs.push(a);
    }
  }
  if (!opts.model) throw new Failure('USAGE', '--model is required', 1);
  if (!opts.out) throw new Failure('USAGE', '--out is required', 1);
  for (const k of ['runs', 'warmup', 'threads']) {
    opts[k] = Number(opts[k]);
    if (!Number.isInteger(opts[k]) || opts[k] < (k === 'warmup' ? 0 : 1)) {
      throw new Failure('USAGE', `--${k} must be a ${k === 'warmup' ? 'non-negative' : 'positive'} integer`, 1);
    }
  }
  return opts;
}

function loadOrt() {
  const dir = process.env.DETLITE_ONNXRUNTIME_DIR ||
      path.join(repoRoot, '.deps/npm/node_modules/onnxruntime-node');
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    throw new Failure('ORT_NOT_FOUND', `no onnxruntime-node in ${dir} (run scripts/setup.sh)`, 1);
  }
  return { ort: require(dir), version: require(path.join(dir, 'package.json')).version };
}

const elementBytes = { float32: 4, int32: 4, int64: 8, uint8: 1, int8: 1, bool: 1 };

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { ort, version } = loadOrt();
  let session;
  try {
    session = await ort.InferenceSession.create(opts.model, {
      intraOpNumThreads: opts.threads, interOpNumThreads: 1, executionMode: 'sequential',
      graphOptimizationLevel: 'all' });
  } catch (e) {
    throw new Failure('CREATE_FAILED', `${opts.model}: ${String(e.message).split('\n')[0]}`, 2);
  }
  const meta = session.inputMetadata;
  if (opts.inputs.length !== meta.length) {
    throw new Failure('INPUT_COUNT', `model has ${meta.length} inputs, got ${opts.inputs.length} files`, 3);
  }
  const feeds = {};
  meta.forEach((m, i) => {
    if (m.type !== 'float32') throw new Failure('INPUT_SIZE', `input ${i} (${m.name}) is ${m.type}`, 3);
    const src = fs.readFileSync(opts.inputs[i]);
    const count = m.shape.reduce((a, b) => a * b, 1);
    if (src.length !== count * 4) {
      throw new Failure('INPUT_SIZE', `input ${i} (${m.name}, float32 [${m.shape}]) needs ${count * 4} ` +
                        `bytes, file ${opts.inputs[i]} has ${src.length}`, 3);
    }
    const data = new Float32Array(count);
    new Uint8Array(data.buffer).set(src);
    feeds[m.name] = new ort.Tensor('float32', data, m.shape);
  });
  let result;
  const runOnce = async () => {
    const t0 = performance.now();
    try {
      result = await session.run(feeds);
    } catch (e) {
      throw new Failure('RUN_FAILED', `${opts.model}: ${String(e.message).split('\n')[0]}`, 4);
    }
    return performance.now() - t0;
  };
  const times = [];
  if (opts.serve) {
    console.log(`ready ${version}`);
    const lines = readline.createInterface({ input: process.stdin });
    for await (const line of lines) {
      if (line.trim() === 'quit') break;
      const ms = await runOnce();
      times.push(ms);
      console.log(String(ms));
    }
  } else {
    for (let k = 0; k < opts.warmup; k++) await runOnce();
    for (let k = 0; k < opts.runs; k++) times.push(await runOnce());
  }
  if (!result) await runOnce();
  times.sort((a, b) => a - b);

  fs.mkdirSync(opts.out, { recursive: true });
  const outMeta = session.outputNames.map((name, i) => {
    const t = result[name];
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.length * elementBytes[t.type]);
    fs.writeFileSync(path.join(opts.out, `out${i}.bin`), bytes);
    return { index: i, name, dtype: t.type, shape: t.dims.map(Number) };
  });
  fs.writeFileSync(path.join(opts.out, 'outputs.json'), JSON.stringify(outMeta));
  const n = times.length;
  const timing = { median_ms: n ? times[n >> 1] : 0, min_ms: n ? times[0] : 0, runs: n,
                   p90_ms: n ? times[Math.min(n - 1, Math.floor(n * 0.9))] : 0, times_ms: times };
  fs.writeFileSync(path.join(opts.out, 'timing.json'), JSON.stringify(timing));
  if (!opts.serve) console.log(JSON.stringify(timing));
}

try {
  await main();
  process.exit(0);
} catch (e) {
  if (e instanceof Failure) {
    console.error(e.message);
    process.exit(e.exitCode);
  }
  console.error(`ERROR: ${String(e && e.message ? e.message : e).split('\n')[0]}`);
  process.exit(1);
}

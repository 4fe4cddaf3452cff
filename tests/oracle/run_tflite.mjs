// Runs a .tflite model in the real TensorFlow Lite runtime (the WebAssembly
// build shipped in the npm package @tensorflow/tfjs-tflite) so tests can judge
// detlite against it. Plain Node 20, no other package.
//
// Usage:
//   node run_tflite.mjs --model M.tflite --out DIR [--wasm-dir DIR]
//                       [--runs N] [--warmup N] [INPUT0.bin INPUT1.bin ...]
// Each INPUT is the raw little-endian bytes of one model input, in order; one
// is required per input. Writes DIR/out<i>.bin (raw bytes), DIR/outputs.json
// ([{index, name, dtype, shape}]) and DIR/timing.json, and prints the timing
// as one JSON line on stdout. On failure prints one line "CODE: detail" on
// stderr and exits non-zero:
//   1 USAGE / WASM_NOT_FOUND / ERROR   2 CREATE_FAILED
//   3 INPUT_COUNT / INPUT_SIZE         4 INFER_FAILED
//
// The wasm directory comes from --wasm-dir, else $DETLITE_TFLITE_WASM_DIR,
// else .deps/npm/node_modules/@tensorflow/tfjs-tflite/wasm of this repo.
import fs from 'fs';
import path from 'path';
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
  const opts = { runs: 1, warmup: 0, inputs: [] };
  const valueFlags = new Set(['--model', '--out', '--wasm-dir', '--runs', '--warmup']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (valueFlags.has(a)) {
      if (i + 1 >= argv.length) throw new Failure('USAGE', `${a} needs a value`, 1);
      opts[a.slice(2)] = argv[++i];
    } else if (a.startsWith('--')) {
      throw new Failure('USAGE', `unknown flag ${a}`, 1);
    } else {
      opts.inputs.push(a);
    }
  }
  if (!opts.model) throw new Failure('USAGE', '--model is required', 1);
  if (!opts.out) throw new Failure('USAGE', '--out is required', 1);
  opts.runs = Number(opts.runs);
  if (!Number.isInteger(opts.runs) || opts.runs < 1) {
    throw new Failure('USAGE', '--runs must be a positive integer', 1);
  }
  opts.warmup = Number(opts.warmup);
  if (!Number.isInteger(opts.warmup) || opts.warmup < 0) {
    throw new Failure('USAGE', '--warmup must be a non-negative integer', 1);
  }
  opts.wasmDir = opts['wasm-dir'] || process.env.DETLITE_TFLITE_WASM_DIR ||
      path.join(repoRoot, '.deps/npm/node_modules/@tensorflow/tfjs-tflite/wasm');
  return opts;
}

function readFileOr(file, code, what) {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new Failure(code, `cannot read ${what} ${file}: ${e.code || e.message}`, 1);
  }
}

// The single-threaded SIMD build: the threaded ones need Web Workers, which
// Node lacks. The runtime's own log lines are kept to explain failures.
async function loadRuntime(wasmDir, log) {
  const js = path.join(wasmDir, 'tflite_web_api_cc_simd.js');
  const wasm = path.join(wasmDir, 'tflite_web_api_cc_simd.wasm');
  if (!fs.existsSync(js) || !fs.existsSync(wasm)) {
    throw new Failure('WASM_NOT_FOUND', `no tflite_web_api_cc_simd.{js,wasm} in ${wasmDir} ` +
                      '(run scripts/setup.sh)', 1);
  }
  const factory = require(js);
  // Passing the bytes ourselves: given only a path, Emscripten would fetch().
  return factory({
    wasmBinary: readFileOr(wasm, 'WASM_NOT_FOUND', 'wasm'),
    locateFile: (f) => path.join(wasmDir, f),
    print: (line) => log.push(String(line)),
    printErr: (line) => log.push(String(line)),
  });
}

function toArray(vec) {
  const out = [];
  for (let i = 0; i < vec.size(); i++) out.push(vec.get(i));
  vec.delete();
  return out;
}

function bytesOf(tensor) {
  const v = tensor.data();
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

// Lines the runtime logged that explain an error (its INFO lines do not).
function runtimeErrors(log) {
  const lines = log.filter((l) => !/^INFO:/.test(l) && l.trim() !== '');
  return lines.length ? ` [${lines.join(' | ')}]` : '';
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const log = [];
  const M = await loadRuntime(opts.wasmDir, log);
  const model = readFileOr(opts.model, 'CREATE_FAILED', 'model');
  const ptr = M._malloc(model.length);
  M.HEAPU8.set(model, ptr);
  const created = M.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, model.length,
      { numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024 });
  if (!created.ok()) {
    throw new Failure('CREATE_FAILED', `${opts.model}: ${created.errorMessage()}${runtimeErrors(log)}`, 2);
  }
  const runner = created.value();

  const inputs = toArray(runner.GetInputs());
  if (opts.inputs.length !== inputs.length) {
    throw new Failure('INPUT_COUNT', `model has ${inputs.length} inputs, got ${opts.inputs.length} files`, 3);
  }
  inputs.forEach((t, i) => {
    const src = readFileOr(opts.inputs[i], 'INPUT_SIZE', `input ${i}`);
    const dst = bytesOf(t);  // views die when wasm memory grows: take it late
    if (src.length !== dst.length) {
      throw new Failure('INPUT_SIZE', `input ${i} (${t.name}, ${t.dataType} [${t.shape}]) ` +
                        `needs ${dst.length} bytes, file ${opts.inputs[i]} has ${src.length}`, 3);
    }
    dst.set(src);
  });

  for (let k = 0; k < opts.warmup; k++) {
    if (!runner.Infer()) throw new Failure('INFER_FAILED', `${opts.model}${runtimeErrors(log)}`, 4);
  }
  const times = [];
  for (let k = 0; k < opts.runs; k++) {
    const t0 = performance.now();
    if (!runner.Infer()) throw new Failure('INFER_FAILED', `${opts.model}${runtimeErrors(log)}`, 4);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);

  fs.mkdirSync(opts.out, { recursive: true });
  const meta = toArray(runner.GetOutputs()).map((t, i) => {
    fs.writeFileSync(path.join(opts.out, `out${i}.bin`), bytesOf(t));
    const shape = t.shape === '' ? [] : t.shape.split(',').map(Number);
    return { index: i, name: t.name, dtype: t.dataType, shape };
  });
  fs.writeFileSync(path.join(opts.out, 'outputs.json'), JSON.stringify(meta));
  const timing = { median_ms: times[times.length >> 1], min_ms: times[0], runs: opts.runs,
                   p90_ms: times[Math.min(times.length - 1, Math.floor(times.length * 0.9))],
                   times_ms: times };
  fs.writeFileSync(path.join(opts.out, 'timing.json'), JSON.stringify(timing));
  console.log(JSON.stringify(timing));
}

try {
  await main();
  process.exit(0);
} catch (e) {
  if (e instanceof Failure) {
    console.error(e.message);
    process.exit(e.exitCode);
  }
  // A wasm trap or a bug here: still one line, so callers can quote it.
  console.error(`ERROR: ${String(e && e.message ? e.message : e).split('\n')[0]}`);
  process.exit(1);
}

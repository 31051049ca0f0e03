"""The one-shot GPU check: about 8 minutes on one GPU, every figure written to a JSON file.

    SML_GPT_DATA=/dir/with/tinyshakespeare python bench/bench_gpu.py --json bench_gpu.json    # on a machine with a GPU
    SML_GPT_DATA=/dir/with/tinyshakespeare python bench/bench_gpu.py --cpu-smoke               # every part, toy size, CPU

Parts, in this order (the JSON file is rewritten after each, so a run cut short keeps what it measured):
  memory     `sizing.estimate_memory` against the measured peak (`sizing.measure_peak_memory`: the CUDA allocator's
             peak) for the GPT-2 124M shape and the `shakespeare-char-gpu` shape, bf16 and float32.
  gpt2       the GPT-2 124M shape (preset `gpt2-124m`, vocab padded to 50304) in bf16 with torch.compile on synthetic
             tokens (`sizing.measure_throughput`: forward, backward, clip, fused AdamW): tokens/s and MFU.
  char_gpu   the preset `shakespeare-char-gpu` (nanoGPT's GPU recipe, 5000 steps) trained with `cli.train_preset`:
             the first evaluation at val loss <= 1.47 (step and seconds), final val loss, tokens/s, MFU.
  best_gpu   the preset `shakespeare-char-best` (the best 10-minute CPU recipe), scaled for a GPU: its settings with the
             GPU preset's shape, batch and dropout (`GPU_SCALE`) and `--best-steps` steps; skipped, and said so,
             where this version of sml_gpt has no such preset.
  tests      `nbdev_test --flags gpu` (every notebook, plus the cells marked `#| gpu`).

`--cpu-smoke` runs every part at toy size on the CPU (well under a minute; the figures mean nothing): it checks that the
script and the functions it drives still fit together, and is run by a test on the sizing page.
No network is needed: the data is Tiny Shakespeare found through SML_GPT_DATA (or the cache), the GPT-2 figures use
random token ids.
"""
import argparse, json, os, platform, subprocess, sys, tempfile, time
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from sml_gpt.core import get_device
from sml_gpt.cli import PRESETS, make_config, prepare_data, train_preset
from sml_gpt.checkpoint import read_metrics
from sml_gpt.sizing import estimate_memory, measure_peak_memory, measure_throughput

PARTS = ('memory', 'gpt2', 'char_gpu', 'best_gpu', 'tests')
TARGET = 1.47                 # nanoGPT's published val loss for shakespeare-char on a GPU (1.4697)
GPU_SCALE = dict(n_layer=6, n_head=6, n_embd=384, block_size=256, batch_size=64, dropout=0.2, eval_interval=250,
                 eval_iters=200, compile=True)       # the shape and batch of `shakespeare-char-gpu`
SMOKE_MODEL = dict(n_layer=2, n_head=2, n_embd=32, block_size=32, batch_size=4)     # the toy size of --cpu-smoke
SMOKE_RUN = dict(**SMOKE_MODEL, max_iters=6, eval_interval=3, eval_iters=2, warmup_iters=1, compile=False, sample_tokens=0)

def memory(dev, smoke: bool) -> list[dict]:
    "Estimated vs measured peak of a training step, for a few shapes, batches and precisions."
    gpt2 = make_config('gpt2-124m').model_config(50257)
    char = make_config('shakespeare-char-gpu').model_config(65)
    cases = [(gpt2, 8, 'bfloat16'), (gpt2, 4, 'float32'), (char, 64, 'bfloat16'), (char, 64, 'float32')]
    if smoke: cases = [(make_config(n_layer=2, n_head=2, n_embd=32, block_size=32).model_config(65), 4, d)
                       for d in ('float32', 'bfloat16')]
    rows = []
    for c, b, dt in cases:
        est = estimate_memory(c, b, dtype=dt, device=dev.type).peak
        got = measure_peak_memory(c, b, dtype=dt, device=dev)
        rows.append(dict(model=f'{c.n_layer}x{c.n_embd} ctx {c.block_size} vocab {c.vocab_size}', batch_size=b, dtype=dt,
                         estimated_mb=est / 2**20, measured_mb=got / 2**20, estimate_over_measured=est / got))
        print(f"  {rows[-1]['model']:>32} B={b:<3} {dt:>8}: estimated {est / 2**20:9.1f} MB, measured "
              f"{got / 2**20:9.1f} MB ({est / got:.3f}x)")
    return rows

def gpt2(dev, smoke: bool, batch_size: int) -> dict:
    "Training throughput and MFU of the GPT-2 124M shape, bf16, compiled, on random tokens."
    c = make_config('gpt2-124m').model_config(50257)
    kw = dict(batch_size=batch_size, steps=20, warmup=5, compile=True)
    if smoke: c, kw = make_config(**SMOKE_MODEL).model_config(512), dict(batch_size=4, steps=2, warmup=1, compile=False)
    r = measure_throughput(c, device=dev, dtype='bfloat16', **kw)
    mfu = f"{r['mfu']:.1%}" if r['mfu'] is not None else 'n/a (no peak for this device)'
    print(f"  {r['tokens_per_sec']:,.0f} tokens/s, {r['ms_per_step']:.1f} ms/step (batch {kw['batch_size']} x {c.block_size}), "
          f"MFU {mfu}, compile + warmup {r['warmup_s']:.1f} s" + (f", peak {r['peak_mem_mb']:,.0f} MB" if r['peak_mem_mb'] else ''))
    return r

def run_preset(preset: str, data: Path, out: Path, dev, smoke: bool, overrides: dict) -> dict:
    "Train `preset` with `overrides`; the first eval at val <= TARGET (step, seconds), the final figures and MFU."
    kw = {**overrides, **(SMOKE_RUN if smoke else {})}
    r = train_preset(preset, data=str(data), out=str(out), overwrite=True, device=str(dev), print_fn=lambda s: None,
                     progress=False, verbose=False, **kw)
    evals = read_metrics(out, 'eval')
    hit = next((e for e in evals if e['val_loss'] <= TARGET), None)
    res = dict(preset=preset, overrides=kw, steps=r['step'], val_loss=r['val_loss'], best_val_loss=r['best_val_loss'],
               wall_s=r['wall_time'], train_s=r['train_time'], tokens_per_sec=r['tokens_per_sec'], mfu=r['mfu'],
               dtype=r['dtype'], peak_mem_mb=r['peak_mem_mb'], target=TARGET,
               target_step=hit['step'] if hit else None, target_s=hit['elapsed'] if hit else None,
               evals=[dict(step=e['step'], val_loss=e['val_loss'], elapsed=e['elapsed']) for e in evals])
    reach = f"val <= {TARGET} at step {hit['step']} ({hit['elapsed']:.0f} s)" if hit else f"val <= {TARGET} not reached"
    mfu = f"{r['mfu']:.1%}" if r['mfu'] is not None else 'n/a'
    print(f"  {preset}: {r['step']} steps, val {r['val_loss']:.4f} (best {r['best_val_loss']:.4f}), {reach}, "
          f"{r['wall_time']:.0f} s, {r['tokens_per_sec']:,.0f} tokens/s, MFU {mfu}")
    return res

def _flag_notebook(folder: Path) -> tuple[Path, Path]:
    "A one-cell notebook whose `#| gpu` cell writes a marker file: does `--flags gpu` reach the flagged cells?"
    from execnb.nbio import mk_cell, new_nb, write_nb
    folder.mkdir(parents=True, exist_ok=True); marker = folder / 'gpu_cell_ran'
    nb = new_nb([mk_cell(f"#| gpu\nfrom pathlib import Path; Path({str(marker)!r}).write_text('ok')")])
    write_nb(nb, folder / 'flagged.ipynb'); marker.unlink(missing_ok=True)
    return folder / 'flagged.ipynb', marker

def tests(smoke: bool, work: Path) -> dict:
    "`nbdev_test --flags gpu` in the repository (with --cpu-smoke: on a one-cell `#| gpu` notebook instead)."
    cmd = ['nbdev_test', '--flags', 'gpu']
    if smoke: nb, marker = _flag_notebook(work / 'flag_check'); cmd += ['--path', str(nb)]
    t0 = time.time()
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    r = dict(cmd=' '.join(cmd), returncode=p.returncode, seconds=time.time() - t0, tail=(p.stdout + p.stderr)[-3000:])
    if smoke: r['gpu_cell_ran'] = marker.exists()
    print(f"  {r['cmd']}: {'passed' if p.returncode == 0 else 'FAILED (rc %d)' % p.returncode} in {r['seconds']:.0f} s")
    return r

def environment(dev) -> dict:
    git = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return dict(torch=torch.__version__, device=str(dev), cuda=torch.version.cuda, commit=git or None, python=platform.python_version(),
                gpu=torch.cuda.get_device_name(dev) if dev.type == 'cuda' else None, cpu=platform.processor() or platform.machine())

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--cpu-smoke', action='store_true', help='every part at toy size on the CPU (a test, not a benchmark)')
    ap.add_argument('--json', default='bench_gpu.json', help='where to write the figures')
    ap.add_argument('--parts', default=','.join(PARTS), help=f'comma-separated subset of {",".join(PARTS)}')
    ap.add_argument('--gpt2-batch', type=int, default=16, help='micro-batch of the GPT-2 124M throughput part')
    ap.add_argument('--best-steps', type=int, default=2500, help='steps of shakespeare-char-best scaled for a GPU')
    ap.add_argument('--workdir', help='data and run directories (default: a temporary folder)')
    args = ap.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(',') if p.strip()]
    if bad := sorted(set(parts) - set(PARTS)): raise SystemExit(f"unknown parts {bad}; valid: {', '.join(PARTS)}")
    dev = torch.device('cpu') if args.cpu_smoke else get_device('auto')
    if dev.type != 'cuda' and not args.cpu_smoke: raise SystemExit("no CUDA GPU here: run with --cpu-smoke for the toy-size check")
    work = Path(args.workdir or tempfile.mkdtemp(prefix='bench_gpu_'))
    out = dict(environment=environment(dev), smoke=args.cpu_smoke, target=TARGET, parts={})
    save = lambda: Path(args.json).write_text(json.dumps(out, indent=1, default=str))
    data = None
    for part in parts:
        print(f"{part}:"); t0 = time.time()
        if part in ('char_gpu', 'best_gpu') and data is None:
            data = prepare_data('shakespeare-char-gpu', work / 'data', progress=False)
        if part == 'memory': r = memory(dev, args.cpu_smoke)
        elif part == 'gpt2': r = gpt2(dev, args.cpu_smoke, args.gpt2_batch)
        elif part == 'char_gpu': r = run_preset('shakespeare-char-gpu', data, work / 'char_gpu', dev, args.cpu_smoke, {})
        elif part == 'best_gpu':
            if 'shakespeare-char-best' not in PRESETS:
                r = dict(skipped="this version of sml_gpt has no preset 'shakespeare-char-best'"); print(f"  skipped: {r['skipped']}")
            else:
                r = run_preset('shakespeare-char-best', data, work / 'best_gpu', dev, args.cpu_smoke,
                               dict(GPU_SCALE, max_iters=args.best_steps, dtype='auto'))
        else: r = tests(args.cpu_smoke, work)
        out['parts'][part] = r; out.setdefault('seconds', {})[part] = time.time() - t0
        save()
    print(f"figures written to {args.json} ({sum(out['seconds'].values()):.0f} s in all)")
    return out

if __name__ == '__main__': main()

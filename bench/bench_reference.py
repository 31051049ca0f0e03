"""The reference recipe and the default `shakespeare-char` preset, trained and timed in ONE process.

    SML_GPT_DATA=/path/to/tinyshakespeare python bench/bench_reference.py            # everything (a few minutes on 2 cores)
    python bench/bench_reference.py --threads 1 --json /tmp/bench.json                 # one torch thread; save the figures

(0) optional, `--baseline-iters N` (default 200): N steps of a nanoGPT-equivalent loop (the operations of nanoGPT's
    model.py and train.py hot loop for this recipe: bias-free Linear/LayerNorm, exact GELU, fused-qkv SDPA attention,
    tied head, AdamW, a fresh np.memmap per batch, loss.item() every step) and N steps of sml_gpt's `train`, alternated
    twice, so that both are timed under the same machine load: their ratio holds even when absolute timings do not.
(a) the reference recipe with `sml_gpt.train` in float32 (as nanoGPT runs on a CPU), and (a') the same with sml_gpt's
    fast CPU settings where the CPU has native bf16 (`fast_cpu_settings`: bf16 autocast, explicit attention): 4 layers, 4 heads, 128 dims, context 64, batch 12, 2000 steps, lr 1e-3,
    100 warmup steps, cosine decay to 1e-4, beta2 0.99, dropout 0, evaluation on 20 batches (every 250 steps, as
    nanoGPT's config). Prints ms/iter, tokens/s, final val loss and wall time. nanoGPT's figures for this recipe on a
    quiet 2-core machine of this kind: val loss about 1.88, about 33 ms/iter, about 23k tokens/s.
(b) the default `shakespeare-char` preset (`sml_gpt.cli.make_config()`): val loss, wall time, tokens/s and peak memory
    (peak RSS of the phase, from /proc VmHWM reset before it; the Python-heap peak from tracemalloc over a short extra
    run; parameters + gradients + AdamW state). Target: val loss <= 1.80 in no more wall time than the faster of (a), (a').

Timings on a machine shared with other work are inflated and noisy: the load average is printed around every phase, and
CPU seconds (time.process_time) are printed beside wall seconds.
"""
import argparse, json, math, os, re, resource, sys, tempfile, time, tracemalloc
from pathlib import Path
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sml_gpt.data import load_shakespeare, prepare_dataset, load_split
from sml_gpt.model import GPT
from sml_gpt.train import TrainConfig, train, evaluate, Callback
from sml_gpt.checkpoint import load_model
from sml_gpt.cli import make_config, fast_cpu_settings, PRESETS

REFERENCE = dict(n_layer=4, n_head=4, n_embd=128, block_size=64, batch_size=12, max_iters=2000, lr=1e-3, min_lr=1e-4,
                 warmup_iters=100, decay='cosine', beta2=0.99, dropout=0.0, eval_iters=20, eval_interval=250,
                 bias=False, gelu='exact', pos_emb='learned', weight_decay=0.1, grad_clip=1.0)   # nanoGPT: bias=False, nn.GELU()
QUICK = {}                                  # --quick: overrides for the preset run
TAGS = {'reference': "(a)", 'reference_fast': "(a')"}
NANOGPT = dict(val_loss=1.88, ms_per_iter=33.0, tokens_per_sec=23_000)

def load() -> str: return '/'.join(f'{x:.2f}' for x in os.getloadavg())

def peak_rss_reset() -> bool:
    "Reset the kernel's peak-RSS counter of this process (Linux); False where that is not possible."
    try: Path('/proc/self/clear_refs').write_text('5'); return True
    except OSError: return False

def peak_rss_mb() -> float:
    try: return int(re.search(r'VmHWM:\s+(\d+)', Path('/proc/self/status').read_text()).group(1)) / 1024
    except (OSError, AttributeError):
        r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return r / 2**20 if sys.platform == 'darwin' else r / 1024

# --- a nanoGPT-equivalent loop, for a same-load throughput ratio ---------------------------------------------------
class _Attn(nn.Module):
    def __init__(s, C, H):
        super().__init__(); s.c_attn = nn.Linear(C, 3 * C, bias=False); s.c_proj = nn.Linear(C, C, bias=False); s.H = H
    def forward(s, x):
        B, T, C = x.shape
        q, k, v = s.c_attn(x).split(C, 2)
        q, k, v = [t.view(B, T, s.H, C // s.H).transpose(1, 2) for t in (q, k, v)]
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return s.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))

class _Block(nn.Module):
    def __init__(s, C, H):
        super().__init__()
        s.ln_1, s.attn, s.ln_2 = nn.LayerNorm(C, bias=False), _Attn(C, H), nn.LayerNorm(C, bias=False)
        s.c_fc, s.gelu, s.c_proj = nn.Linear(C, 4 * C, bias=False), nn.GELU(), nn.Linear(4 * C, C, bias=False)
    def forward(s, x):
        x = x + s.attn(s.ln_1(x))
        return x + s.c_proj(s.gelu(s.c_fc(s.ln_2(x))))

class NanoGPTLike(nn.Module):
    def __init__(s, V=65, T=64, L=4, H=4, C=128):
        super().__init__()
        s.wte, s.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        s.h = nn.ModuleList([_Block(C, H) for _ in range(L)]); s.ln_f = nn.LayerNorm(C, bias=False)
        s.lm_head = nn.Linear(C, V, bias=False); s.wte.weight = s.lm_head.weight
    def forward(s, idx, targets):
        x = s.wte(idx) + s.wpe(torch.arange(idx.size(1)))
        for b in s.h: x = b(x)
        logits = s.lm_head(s.ln_f(x))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)

def nanogpt_like_steps(data_dir: Path, iters: int, seed: int = 0) -> tuple[float, float]:
    "(wall s, CPU s) of `iters` steps of the nanoGPT-equivalent hot loop for the reference recipe."
    torch.manual_seed(seed)
    m = NanoGPTLike()
    params = [p for p in m.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([dict(params=[p for p in params if p.dim() >= 2], weight_decay=0.1),
                             dict(params=[p for p in params if p.dim() < 2], weight_decay=0.0)], lr=1e-3, betas=(0.9, 0.99))
    def get_batch():
        data = np.memmap(data_dir / 'train.bin', dtype=np.uint16, mode='r')        # nanoGPT re-opens it every batch
        ix = torch.randint(len(data) - 64, (12,))
        x = torch.stack([torch.from_numpy(data[i:i + 64].astype(np.int64)) for i in ix])
        y = torch.stack([torch.from_numpy(data[i + 1:i + 65].astype(np.int64)) for i in ix])
        return x, y
    x, y = get_batch()
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(iters):
        loss = m(x, y)
        x, y = get_batch()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step(); opt.zero_grad(set_to_none=True)
        loss.item()
    return time.perf_counter() - w0, time.process_time() - c0

class CPUClock(Callback):
    "CPU seconds from the start of training to the end of its last step (setup, the final checkpoint and plot excluded)."
    def on_train_begin(self, state): self.t0 = time.process_time()
    def on_step_end(self, state):
        if state.step == state.cfg.max_iters: self.seconds = time.process_time() - self.t0

# --- sml_gpt runs --------------------------------------------------------------------------------------------------
def run(cfg: TrainConfig, val_tokens) -> dict:
    "Train `cfg`; add wall and CPU seconds of the whole call, and the loss on every val window (full_val) of the final model."
    w0, c0 = time.perf_counter(), time.process_time()
    r = train(cfg)
    r['wall_s'], r['cpu_s'] = time.perf_counter() - w0, time.process_time() - c0
    model, _ = load_model(cfg.out_dir, which='last')
    r['val_loss_full'] = evaluate(model, val_tokens, cfg.block_size, 64, full=True)
    r['ms_per_iter'] = r['train_time'] / cfg.max_iters * 1e3
    with torch.device('meta'): r["flops_per_token"] = GPT(cfg.model_config(65)).flops_per_token()   # the shape, no memory
    return r

def quiet(**kw) -> dict: return dict(progress=False, verbose=False, sample_tokens=0, device='cpu', overwrite=True, **kw)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', help='prepared char-level data directory (default: made from Tiny Shakespeare in a temp dir)')
    ap.add_argument('--threads', type=int, default=None, help='torch CPU threads (default: torch decides)')
    ap.add_argument('--baseline-iters', type=int, default=200, help='steps per side of the same-load nanoGPT ratio (0: skip)')
    ap.add_argument('--baseline-reps', type=int, default=3, help='alternations of the same-load ratio')
    ap.add_argument('--skip-reference', action='store_true', help='skip (a)')
    ap.add_argument('--skip-preset', action='store_true', help='skip (b)')
    ap.add_argument('--json', help='write all figures to this JSON file')
    ap.add_argument('--quick', action='store_true', help='a smoke test: 60 steps everywhere (the figures mean nothing)')
    args = ap.parse_args()
    if args.quick:
        REFERENCE.update(max_iters=60, eval_interval=30); QUICK.update(max_iters=60, eval_interval=30)
        args.baseline_iters, args.baseline_reps = min(args.baseline_iters, 20), 1
    if args.threads: torch.set_num_threads(args.threads)
    tmp = Path(tempfile.mkdtemp(prefix='bench_reference_'))
    data = Path(args.data) if args.data else prepare_dataset(load_shakespeare(), 'char', tmp / 'data', progress=False)
    val = load_split(data, 'val')
    out = dict(torch=torch.__version__, threads=torch.get_num_threads(), cpus=os.cpu_count(), load_start=load())
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs, load average {load()}')

    if args.baseline_iters:
        fast = fast_cpu_settings('cpu')
        print(f'\n(0) same-load throughput ratio: {args.baseline_iters} steps of a nanoGPT-equivalent loop (float32) vs sml_gpt.train '
              f'in float32{" and with its fast CPU settings " + str(fast) if fast else ""}, alternated')
        tok = 12 * 64 * args.baseline_iters; rows = []
        def sml_steps(extra):
            cfg = TrainConfig(data_dir=str(data), out_dir=str(tmp / 'ratio'), **{**REFERENCE, **extra, 'max_iters': args.baseline_iters,
                              'eval_interval': 10**6, 'eval_iters': 1, 'log_interval': 50}, **quiet(ckpt_interval=10**6, save_best=False))
            clock = CPUClock(); r = train(cfg, [clock]); return r['train_time'], clock.seconds
        for rep in range(args.baseline_reps):
            nw, nc = nanogpt_like_steps(data, args.baseline_iters, seed=rep)
            sw, sc = sml_steps({})
            fw, fc = sml_steps(fast) if fast else (sw, sc)
            rows.append((nw, sw, nc, sc, fw, fc))
            ms = lambda w: f'{w / args.baseline_iters * 1e3:6.1f} ms/iter ({tok / w:8,.0f} tok/s)'
            print(f'  rep {rep}: nanoGPT-like {ms(nw)} | sml_gpt float32 {ms(sw)} | sml_gpt fast {ms(fw)} | '
                  f'speed vs nanoGPT-like: {nw / sw:.3f} (float32), {nw / fw:.3f} (fast) | load {load()}')
        nw, sw, nc, sc, fw, fc = map(sum, zip(*rows))
        out['ratio'] = dict(iters=args.baseline_iters, reps=len(rows), nanogpt_like_ms=nw / len(rows) / args.baseline_iters * 1e3,
                            sml_ms=sw / len(rows) / args.baseline_iters * 1e3, sml_fast_ms=fw / len(rows) / args.baseline_iters * 1e3,
                            sml_speed_vs_nanogpt=nw / sw, sml_speed_vs_nanogpt_cpu=nc / sc,
                            sml_fast_speed_vs_nanogpt=nw / fw, sml_fast_speed_vs_nanogpt_cpu=nc / fc, load=load())
        print(f'  sml_gpt throughput / nanoGPT-equivalent throughput: float32 {nw / sw:.3f} by wall time, {nc / sc:.3f} by CPU time; '
              f'fast CPU settings {nw / fw:.3f} by wall time, {nc / fc:.3f} by CPU time (>1: sml_gpt faster)')

    if not args.skip_reference:
        variants = [('reference', 'float32 autocast off, fused SDPA attention: as nanoGPT runs on a CPU', {})]
        fast = fast_cpu_settings('cpu')
        if fast: variants.append(('reference_fast', f'sml_gpt\'s fast CPU settings {fast}', fast))
        else: print('\n(a\') skipped: this CPU has no native bf16, so sml_gpt uses float32 (the same as (a))')
        for key, what, extra in variants:
            tag = TAGS[key]
            print(f"\n{tag} reference recipe with sml_gpt.train, {what} (load {load()})")
            peak_rss_reset(); la = load()
            cfg = TrainConfig(data_dir=str(data), out_dir=str(tmp / key), **{**REFERENCE, **extra}, **quiet())
            r = run(cfg, val)
            a = dict(settings={**REFERENCE, **extra}, ms_per_iter=r['ms_per_iter'], tokens_per_sec=r['tokens_per_sec'], val_loss=r['val_loss'],
                     val_loss_full=r['val_loss_full'], wall_s=r['wall_s'], cpu_s=r['cpu_s'], train_time_s=r['train_time'],
                     peak_rss_mb=peak_rss_mb(), params=r['params'], model_tflops=r['flops_per_token'] * r['tokens_per_sec'] / 1e12, load=(la, load()))
            out[key] = a
            print(f"  {a['ms_per_iter']:.1f} ms/iter | {a['tokens_per_sec']:,.0f} tokens/s | val loss {a['val_loss']:.4f} (20 batches), "
                  f"{a['val_loss_full']:.4f} (every val window) | wall {a['wall_s']:.1f} s (CPU {a['cpu_s']:.1f} s) | "
                  f"{a['model_tflops'] * 1e3:.1f} model GFLOP/s | load {a['load'][0]} -> {a['load'][1]}")

    if not args.skip_preset:
        print(f'\n(b) default preset shakespeare-char (load {load()})')
        pc = make_config(device='cpu')
        peak_rss_reset(); lb = load()
        cfg = TrainConfig(**{**pc.to_dict(), 'data_dir': str(data), 'out_dir': str(tmp / 'preset'), **QUICK, **quiet()})
        r = run(cfg, val)
        b = dict(settings=PRESETS['shakespeare-char'].settings,
                 val_loss=r['val_loss'], val_loss_full=r['val_loss_full'], wall_s=r['wall_s'], cpu_s=r['cpu_s'], train_time_s=r['train_time'],
                 tokens_per_sec=r['tokens_per_sec'], ms_per_iter=r['ms_per_iter'], steps=r['step'], peak_rss_mb=peak_rss_mb(),
                 params=r['params'], load=(lb, load()))
        n = r['params']; b['weights_grads_adam_mb'] = n * 4 * 4 / 2**20
        tracemalloc.start()
        short = TrainConfig(**{**cfg.to_dict(), 'max_iters': 100, 'eval_interval': 50, 'out_dir': str(tmp / 'preset_mem')})
        train(short)
        b['tracemalloc_peak_mb'] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        out['preset'] = b
        print(f"  val loss {b['val_loss']:.4f} ({cfg.eval_iters} batches), {b['val_loss_full']:.4f} (every val window) | "
              f"{b['steps']} steps, {b['ms_per_iter']:.1f} ms/iter, {b['tokens_per_sec']:,.0f} tokens/s | wall {b['wall_s']:.1f} s "
              f"(CPU {b['cpu_s']:.1f} s) | load {b['load'][0]} -> {b['load'][1]}")
        print(f"  peak memory: RSS {b['peak_rss_mb']:.0f} MB (whole process during (b)), Python heap {b['tracemalloc_peak_mb']:.1f} MB "
              f"(tracemalloc, 100 steps), weights + grads + AdamW {b['weights_grads_adam_mb']:.1f} MB ({n:,} parameters)")

    print('\nsummary')
    refs = [k for k in ('reference', 'reference_fast') if k in out]
    for k in refs:
        a = out[k]
        print(f"  {TAGS[k]} {a['tokens_per_sec']:,.0f} tokens/s vs nanoGPT's ~{NANOGPT['tokens_per_sec']:,} "
              f"(quiet machine, 2 threads): {'met' if a['tokens_per_sec'] >= NANOGPT['tokens_per_sec'] else 'not met here'} "
              f"with {out['threads']} thread(s), load {a['load'][0]}; val loss {a['val_loss']:.3f} (nanoGPT ~{NANOGPT['val_loss']})")
    if 'ratio' in out:
        q = out['ratio']
        print(f"      same-load speed relative to the nanoGPT-equivalent loop (float32): sml_gpt float32 {q['sml_speed_vs_nanogpt']:.3f}x "
              f"(wall), {q['sml_speed_vs_nanogpt_cpu']:.3f}x (CPU time); sml_gpt fast CPU settings {q['sml_fast_speed_vs_nanogpt']:.3f}x "
              f"(wall), {q['sml_fast_speed_vs_nanogpt_cpu']:.3f}x (CPU time)")
    if 'preset' in out:
        b = out['preset']
        ok_loss = b['val_loss'] <= 1.80 and b['val_loss_full'] <= 1.80
        line = f"  (b) val loss {b['val_loss']:.3f} / {b['val_loss_full']:.3f} (target <= 1.80: {'met' if ok_loss else 'NOT met'})"
        if refs:
            k = min(refs, key=lambda k: out[k]['wall_s']); a = out[k]
            line += (f"; wall {b['wall_s']:.1f} s vs the faster reference run {a['wall_s']:.1f} s ({b['wall_s'] / a['wall_s']:.2f}x: "
                     f"{'met' if b['wall_s'] <= a['wall_s'] else 'NOT met'}), CPU {b['cpu_s']:.1f} s vs {a['cpu_s']:.1f} s ({b['cpu_s'] / a['cpu_s']:.2f}x)")
        print(line)
    out['load_end'] = load()
    print(f'  load average at the end {load()}')
    if args.json: Path(args.json).write_text(json.dumps(out, indent=1, default=str))

if __name__ == '__main__': main()

"""Grokking benchmark: the default experiment of `sml_gpt.grokking` and its accelerated variant, checked against targets.

    python bench/bench_grokking.py                 # 1 thread, default experiment, prints the table and the targets
    python bench/bench_grokking.py --threads 1 --out runs/bench_grok --seed 1

Runs, on one data split and seed: the plain run (stops at 99% val accuracy), the weight-decay-0 control for as many
steps as the plain run took, and the accelerated variant (`accelerated_config`). Targets (2-core CPU):
  plain: val 99% at >= 5x the train-99% step, in under 3 minutes of wall time;
  control: val accuracy stays below 50% within the same number of steps;
  accelerated: val 99% in at most half the plain run's steps, in under 1 minute.
Exit status 0 when every target is met, 1 otherwise. Wall times depend on how busy the machine is (the load average is
printed next to them): the step counts are the reproducible part, and the CPU time of these one-thread runs is close to
the wall time on an idle machine (`--cpu-time` judges the time targets by it).
"""
import argparse, json, os, platform, sys, time
from pathlib import Path

import torch
from sml_gpt.grokking import GrokConfig, grok_experiment, format_runs, ACCELERATION


def check_targets(runs: dict, clock: str = 'wall_time') -> list[tuple[str, bool, str]]:
    "(target, met, measured) for each benchmark target; time targets read `clock` ('wall_time' or 'cpu_time')."
    p, c, a = (runs[k].summary for k in ('plain', 'control', 'accelerated'))
    unit = 'wall' if clock == 'wall_time' else 'CPU'
    ok = lambda *xs: all(x is not None for x in xs)
    return [
        ('plain: val 99% >= 5x train-99% step', ok(p['ratio']) and p['ratio'] >= 5,
         f"train {p['train_step']}, val {p['val_step']}, ratio {p['ratio'] and round(p['ratio'], 2)}"),
        (f'plain: under 180 s ({unit})', p[clock] < 180, f"{p[clock]:.1f} s"),
        ('control (wd 0): val < 50% in the same steps', c['max_val_acc'] < 0.5,
         f"max val {c['max_val_acc']:.3f} in {c['steps']} steps"),
        ('accelerated: val 99% in <= half the plain steps', ok(a['val_step'], p['val_step']) and a['val_step'] <= p['val_step'] / 2,
         f"{a['val_step']} vs {p['val_step']} steps ({p['val_step'] / a['val_step']:.2f}x fewer)" if ok(a['val_step'], p['val_step']) else 'not reached'),
        (f'accelerated: under 60 s ({unit})', a[clock] < 60, f"{a[clock]:.1f} s"),
    ]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--threads', type=int, default=1, help='torch CPU threads (default 1: on a shared, busy machine more threads can be many times slower)')
    ap.add_argument('--seed', type=int, default=0, help='data split and initialisation seed')
    ap.add_argument('--out', default=None, help='also write the run directories here')
    ap.add_argument('--json', default=None, help='write the summaries and target checks to this JSON file')
    ap.add_argument('--cpu-time', action='store_true',
                    help='judge the time targets by CPU time instead of wall time (on a machine shared with other jobs)')
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    cfg = GrokConfig(seed=args.seed, stop_at_val_acc=0.99)
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    runs = grok_experiment(cfg, args.out)
    total = time.perf_counter() - t0
    load1 = os.getloadavg()[0]
    print(f"sml_gpt grokking benchmark: torch {torch.__version__}, {args.threads} threads, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {load0:.1f} -> {load1:.1f}")
    print(f"config: p={cfg.p} op={cfg.op!r} train_frac={cfg.train_frac} seed={cfg.seed} lr={cfg.lr} weight_decay={cfg.weight_decay} "
          f"batch_size={cfg.batch_size}; accelerated: {ACCELERATION}")
    print(format_runs(runs))
    for name, r in runs.items():
        s = r.summary
        print(f"{name:<12} {1000 * s['wall_time'] / s['steps']:.1f} ms/step wall, {1000 * s['cpu_time'] / s['steps']:.1f} ms/step CPU "
              f"(evaluations included)")
    checks = check_targets(runs, 'cpu_time' if args.cpu_time else 'wall_time')
    print('\ntargets:')
    for name, met, measured in checks: print(f"  [{'PASS' if met else 'FAIL'}] {name}: {measured}")
    if not args.cpu_time:
        print('  (by CPU time, what the runs take on an idle machine: ' + ', '.join(
            f"{n.split(' (')[0]} {'PASS' if m else 'FAIL'} {x}" for n, m, x in check_targets(runs, 'cpu_time') if 'under' in n) + ')')
    print(f"total {total:.1f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(dict(summaries={k: r.summary for k, r in runs.items()}, config=cfg.to_dict(),
                                                   acceleration=ACCELERATION, threads=args.threads, load=[load0, load1],
                                                   checks=[dict(target=n, met=m, measured=x) for n, m, x in checks]), indent=2))
    return 0 if all(m for _, m, _ in checks) else 1


if __name__ == '__main__':
    sys.exit(main())

"""Benchmark: byte-level BPE training time and pure-Python vs tiktoken encode speed (`sml_gpt.tokenizers`).

    export SML_GPT_DATA=/path/to/tinyshakespeare.txt     # or a folder holding it (see sml_gpt.data.load_shakespeare)
    python bench/bench_tokenizers.py                      # vocab 512 and 4096, best of 3 runs each
    python bench/bench_tokenizers.py --vocab_sizes 512,1024,4096 --repeats 5

Prints, for each vocabulary size, the best wall time of `BPETokenizer().train(text, vocab_size)` on the full text
(pre-tokenization included; also its CPU time, which other processes on a shared machine disturb less) against the targets (512: 3 s, 4096: 30 s, on one core), then the time to encode the full
text with the pure-Python encoder and with the tiktoken `Encoding` built by `to_tiktoken()`, and their ratio; also the
ratio without the chunk cache on a slice. Everything is single-threaded. Exits with status 1 if the two encoders disagree
or a target is missed.
"""
import sys, time
from fastcore.script import call_parse, Param
from sml_gpt.tokenizers import BPETokenizer, count_chunks
from sml_gpt.data import load_shakespeare

TARGETS = {512: 3.0, 4096: 30.0}

CPU = {}   # label -> best CPU time (process_time) of the last best_of call with that label

def best_of(f, repeats, label=None):
    "Smallest wall time of `repeats` calls of `f` (the least disturbed by other work on the machine), and f's last result."
    best, best_cpu, out = float('inf'), float('inf'), None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time(); out = f()
        best, best_cpu = min(best, time.perf_counter() - t0), min(best_cpu, time.process_time() - c0)
    if label: CPU[label] = best_cpu
    return best, out

@call_parse
def main(path: Param("Tiny Shakespeare file or folder (default: $SML_GPT_DATA)", str) = None,
         vocab_sizes: Param("comma-separated vocabulary sizes to train", str) = '512,4096',
         repeats: Param("runs per measurement; the best is reported", int) = 3,
         pattern: Param("split pattern: gpt2, gpt4 or gpt4o", str) = 'gpt4',
         cold_chars: Param("characters encoded without the chunk cache for the cold ratio", int) = 100_000):
    "Time BPE training and compare the pure-Python encoder with tiktoken."
    text = load_shakespeare(path, download=False, progress=False)
    print(f'Tiny Shakespeare: {len(text):,} characters; best of {repeats} runs; split pattern {pattern!r}')
    t_split, chunks = best_of(lambda: count_chunks(text, BPETokenizer(pattern=pattern).pattern, ['<|endoftext|>']), repeats)
    print(f'pre-tokenization alone: {t_split:.2f} s ({sum(chunks.values()):,} chunks, {len(chunks):,} distinct)')
    ok, tok = True, None
    for V in (int(v) for v in vocab_sizes.split(',')):
        t, tok = best_of(lambda: BPETokenizer().train(text, V, pattern=pattern), repeats, label=V)
        target = TARGETS.get(V)
        verdict = '' if target is None else (f'  (target < {target:.0f} s: ' + ('met)' if t < target else 'MISSED)'))
        ok &= target is None or t < target
        print(f'train vocab {V:>5}: {t:6.2f} s wall, {CPU[V]:6.2f} s CPU{verdict}')
    enc = tok.to_tiktoken()
    def py_encode(): tok._cache.clear(); return tok.encode(text)
    t_py, ids_py = best_of(py_encode, repeats)
    t_tk, ids_tk = best_of(lambda: enc.encode(text), repeats)
    same = ids_py == ids_tk
    ok &= same
    print(f'encode full text with vocab {tok.vocab_size}: pure Python {t_py:.3f} s, tiktoken {t_tk:.3f} s -> '
          f'tiktoken is {t_py / t_tk:.1f}x faster; {len(ids_py):,} tokens, ids identical: {same}')
    sl = text[:cold_chars]
    def py_cold():
        tok._cache.clear(); out = []
        for c in tok._regex.findall(sl): out.extend(tok._encode_chunk(c.encode('utf-8')))   # no cache at all
        return out
    t_cold, ids_cold = best_of(py_cold, repeats)
    t_tk2, ids_tk2 = best_of(lambda: enc.encode_ordinary(sl), repeats)
    ok &= ids_cold == ids_tk2
    print(f'encode {len(sl):,} characters without the chunk cache: pure Python {t_cold:.3f} s, tiktoken {t_tk2:.4f} s -> '
          f'{t_cold / t_tk2:.0f}x')
    if not ok: print('FAILED: a target was missed or the encoders disagree'); sys.exit(1)

"""Benchmark: greedy generation with and without the KV cache (`sml_gpt.generate.bench_kvcache`).

    python bench/bench_kvcache.py                       # 500 new tokens, 6 layers / 6 heads / 384 dims / block 512, CPU
    python bench/bench_kvcache.py --device cuda --new_tokens 1000 --block_size 1024

Prints the time and tokens/s of both paths and the speed-up (uncached time / cached time). The model is randomly
initialised: the weights do not change the cost. Exits with status 1 if the two paths produce different tokens.
"""
import sys
import torch
from fastcore.script import call_parse, Param
from sml_gpt.model import GPTConfig
from sml_gpt.generate import bench_kvcache

@call_parse
def main(new_tokens: Param("tokens to generate", int) = 500,
         prompt_len: Param("length of the random prompt", int) = 1,
         n_layer: Param("layers", int) = 6,
         n_head: Param("attention heads", int) = 6,
         n_embd: Param("embedding size", int) = 384,
         block_size: Param("context length", int) = 512,
         vocab_size: Param("vocabulary size", int) = 65,
         pos_emb: Param("position scheme: learned, sinusoidal, rotary or none", str) = 'learned',
         device: Param("device, e.g. cpu or cuda", str) = 'cpu',
         threads: Param("torch CPU threads (0: PyTorch's default)", int) = 0,
         seed: Param("random seed", int) = 0):
    "Time greedy generation with and without the KV cache and print the speed-up."
    if threads: torch.set_num_threads(threads)
    cfg = GPTConfig(vocab_size=vocab_size, block_size=block_size, n_layer=n_layer, n_head=n_head, n_embd=n_embd, pos_emb=pos_emb)
    r = bench_kvcache(cfg, new_tokens=new_tokens, prompt_len=prompt_len, device=device, seed=seed)
    print(f"{new_tokens} new tokens after a {prompt_len}-token prompt; {n_layer} layers / {n_head} heads / {n_embd} dims / "
          f"block {block_size} / vocab {vocab_size} / {pos_emb} positions; device {device}, {torch.get_num_threads()} CPU threads")
    print(f"  with KV cache   : {r['cached_s']:8.2f} s  {r['cached_tok_s']:8.1f} tokens/s")
    print(f"  without cache   : {r['uncached_s']:8.2f} s  {r['uncached_tok_s']:8.1f} tokens/s")
    print(f"  speed-up        : {r['speedup']:.2f}x   identical tokens: {r['identical']}")
    if not r['identical']: sys.exit(1)

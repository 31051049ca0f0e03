import sys; sys.path.insert(0, '.')
from tools.mknb import md, code, write_notebook, run_notebook

cells = [
md("""
# sml_gpt

> Learn how GPT works by building one, then train your own: a from-scratch, literate GPT library in explicit PyTorch.
"""),
code("""
#| hide
from sml_gpt.core import *
"""),
md("""
`sml_gpt` builds every piece of a decoder-only transformer by hand, in plain PyTorch you can read in one sitting:
scalar autograd, tokenizers (characters and byte-level BPE), data pipelines, attention, the GPT model, sampling,
the training loop, and grokking experiments. There is no `nn.Transformer` and no `nn.MultiheadAttention`: each idea
is written out, explained with prose and formulas, and tested right below the code.

The notebooks in `nbs/` are three things at once: the **source** of the `sml_gpt` package (generated with
[nbdev](https://nbdev.fast.ai)), its **test suite**, and the **explainer website** you are reading.

**Who it is for.** Someone learning how large language models work, who wants to read the code, run it, change a component
and see what breaks; and the same person later, importing `sml_gpt` in a script to train on a GPU and study training
dynamics (grokking, memorization versus generalization, hyperparameters).

## Install

```sh
git clone https://github.com/sml-gpt/sml_gpt && cd sml_gpt
pip install -e ".[dev]"
```

On a machine without a GPU, install the CPU build of PyTorch first (`pip install torch --index-url https://download.pytorch.org/whl/cpu`),
which is much smaller than the default CUDA build. `sml_gpt` needs Python 3.10 or later and PyTorch 2.4 or later.

## Quickstart

```sh
pip install -e ".[dev]"     # set-up
nbdev_test                  # the whole test suite: every notebook runs and checks itself
```

The tests read Tiny Shakespeare from a local copy when the environment variable `SML_GPT_DATA` names the file or its
folder (`export SML_GPT_DATA=/path/to/data`); without it the data loader downloads the file once into your cache.

<!-- main-job quickstart: the `sml_train` / `sml_sample` commands, their output and a real sample go here once the CLI lands. -->
**Training from the command line** (`sml_train`, then `sml_sample`) arrives with the command-line page; until then, every
component can be used from Python as shown on each page.

## A map of the pages

| section | page | what you learn and get |
|---|---|---|
| Foundations | [PyTorch foundations](00_tensors.ipynb) | tensors, (B, T, C) shapes, broadcasting, batched matmul, views, autograd, devices |
| Foundations | [Micrograd](01_micrograd.ipynb) | backpropagation as the chain rule over a graph, a scalar autograd engine checked against PyTorch |
| Tokens & data | [Tokenizers](02_tokenizers.ipynb) | characters, byte-level BPE trained from scratch, tiktoken |
| Tokens & data | [Data](03_data.ipynb) | Tiny Shakespeare, token files, context windows and batches |
| Tokens & data | [Streaming](04_streaming.ipynb) | large hub corpora as cached, leak-free token shards |
| The model | [Attention](05_attention.ipynb) | embeddings, positional encodings, scaled dot-product and multi-head attention |
| The model | [Model](06_model.ipynb) | MLP, blocks, the GPT, initialization, GPT-2 weight interop |
| The model | [Generation](07_generate.ipynb) | greedy, temperature, top-k, top-p, the KV cache |
| Training | [Training](08_train.ipynb) | the loop, schedules, accumulation, mixed precision, checkpoints, exact resume, DDP |
| Training | [Command line](11_cli.ipynb) | `sml_train`, `sml_sample` and friends |
| Experiments | [Grokking](09_grokking.ipynb) | sudden generalization on modular arithmetic |
| Experiments | [Experiments](10_experiments.ipynb) | sweeps and ablations with comparison plots |

## Developing

Edit the notebooks, never `sml_gpt/*.py` (it is generated). After a change: `nbdev_export` (writes the package),
`nbdev_clean` (strips notebook metadata), `nbdev_test` (runs every notebook). Cells that take minutes carry the `slow`
flag and cells that need CUDA the `gpu` flag; run them with `nbdev_test --flags slow` or `--flags gpu`.
`python tools/readme.py` rebuilds this README from `nbs/index.ipynb`; `bash .ci/run` is what CI runs.
"""),
]
write_notebook('nbs/index.ipynb', cells)
if '--run' in sys.argv: run_notebook('nbs/index.ipynb')

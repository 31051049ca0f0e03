import sys; sys.path.insert(0, '.')
from tools.mknb import md, code, write_notebook, run_notebook

cells = [
md("""
# PyTorch foundations

> Tensors, shapes, broadcasting, batched matrix multiplication, views, autograd and devices: the handful of ideas every later page uses.
"""),
code("#| default_exp core"),
code("""
#| hide
from nbdev.showdoc import *
from fastcore.test import *
"""),
code("""
#| export
from __future__ import annotations
import torch
from torch import nn
"""),
md("""
A GPT is a few hundred lines of tensor arithmetic. Before any of it, this page walks through the tensor ideas it relies on,
each with a small example whose output you can see and a test that states what must be true.

## Creating tensors

A tensor is an n-dimensional array with a `dtype` (what each number is) and a `device` (where it lives).
Token ids are integers (`torch.long`), activations and weights are floating point (`torch.float32`, or `bfloat16` on a GPU).
"""),
code("""
ids = torch.tensor([[5, 12, 7], [3, 3, 9]])        # from Python lists: 2 sequences of 3 token ids
x = torch.randn(2, 3, 4)                            # random normal, shape (2, 3, 4)
print(ids.dtype, ids.shape)
print(x.dtype, x.shape, x.device)
print(torch.zeros(2, 3), torch.arange(6), torch.linspace(0, 1, 5), sep='\\n')
"""),
code("""
test_eq(ids.dtype, torch.int64)
test_eq(x.shape, (2, 3, 4))
test_eq(torch.arange(6).tolist(), [0, 1, 2, 3, 4, 5])
test_close(torch.linspace(0, 1, 5), torch.tensor([0, .25, .5, .75, 1.]))
"""),
md("""
## Thinking in shapes: (B, T, C)

Every activation inside a GPT has the shape **(B, T, C)**: **B** sequences in the batch, **T** positions (tokens) in each,
**C** features (channels) per position. An embedding table turns a (B, T) tensor of token ids into (B, T, C) vectors by
looking up one row per id. Reading code becomes easier when you annotate every line with its shape.
"""),
code("""
B, T, C, vocab = 4, 8, 16, 65
idx = torch.randint(0, vocab, (B, T))          # (B, T) token ids
emb = nn.Embedding(vocab, C)                    # a (vocab, C) table of learnable vectors
h = emb(idx)                                    # (B, T, C)
print(idx.shape, '->', h.shape)
"""),
code("""
test_eq(h.shape, (B, T, C))
with torch.no_grad(): test_eq(h[1, 2], emb.weight[idx[1, 2]])   # row lookup: position (1, 2) gets row idx[1, 2]
"""),
md("""
## Reshaping and indexing

`view`/`reshape` reinterpret the same numbers with another shape; `transpose`/`permute` swap axes. Multi-head attention
splits C into H heads of D = C/H features: (B, T, C) → (B, T, H, D) → (B, H, T, D). Indexing and slicing work as in numpy;
`x[:, -1, :]` picks the last position of every sequence (what generation uses).
"""),
code("""
H = 4; D = C // H
heads = h.view(B, T, H, D).transpose(1, 2)      # (B, H, T, D)
print(heads.shape, h[:, -1, :].shape)
back = heads.transpose(1, 2).reshape(B, T, C)   # and back again
"""),
code("""
test_eq(heads.shape, (B, H, T, D))
test_eq(back.detach(), h.detach())               # the round trip loses nothing
test_eq(heads[0, 1, 2].detach(), h[0, 2, D:2*D].detach())        # head 1 of position 2 is features D..2D of that position
test_eq(h[:, -1, :].shape, (B, C))
"""),
md("""
## Broadcasting

When two tensors of different shapes meet in an elementwise operation, PyTorch lines their shapes up from the right and
stretches every dimension of size 1 (or missing) to match. A (T, C) position table adds to a (B, T, C) batch this way, and a
(C,) bias adds to everything. No copy is made: the size-1 axis is just reused.
"""),
code("""
pos = torch.randn(T, C)                         # (T, C): one vector per position
bias = torch.randn(C)                           # (C,)
out = h + pos + bias                            # (B, T, C) + (T, C) + (C,) -> (B, T, C)
print(out.shape)
col = torch.arange(3).view(3, 1); row = torch.arange(4).view(1, 4)
print(col + 10 * row)                           # (3, 1) + (1, 4) -> (3, 4)
"""),
code("""
test_eq(out.shape, (B, T, C))
test_close(out[2, 5].detach(), (h[2, 5] + pos[5] + bias).detach())
test_eq((col + 10 * row).shape, (3, 4))
test_fail(lambda: torch.randn(3, 4) + torch.randn(3), contains='size of tensor')   # shapes must match from the right
"""),
md("""
## Batched matrix multiplication

`@` multiplies the last two axes and broadcasts the rest, so one line computes attention scores for every sequence and
every head at once: (B, H, T, D) @ (B, H, D, T) → (B, H, T, T). A `nn.Linear(C, C2)` is `x @ W.T + b` applied to every
(B, T) position.
"""),
code("""
q = torch.randn(B, H, T, D); k = torch.randn(B, H, T, D)
scores = q @ k.transpose(-2, -1)                # (B, H, T, T)
print(scores.shape)
lin = nn.Linear(C, 3 * C)
print(lin(h).shape)                             # (B, T, C) -> (B, T, 3C)
"""),
code("""
test_eq(scores.shape, (B, H, T, T))
test_close(scores[1, 2, 3, 4], (q[1, 2, 3] * k[1, 2, 4]).sum(), eps=1e-5)   # each score is one dot product
with torch.no_grad(): test_close(lin(h), h @ lin.weight.T + lin.bias, eps=1e-5)
"""),
md("""
## Views versus copies

`view`, `transpose`, slicing and `expand` return *views*: new shapes over the same memory, so writing through one changes
the other. `clone()` copies. `transpose` makes a tensor non-contiguous, and `view` refuses those (use `reshape`,
which copies when it must, or `.contiguous()` first). This is why attention code calls `.contiguous()` before merging heads.
"""),
code("""
a = torch.zeros(2, 3)
v = a.view(6); v[0] = 1.                          # a view: a changes too
c = a.clone(); c[1, 1] = 5.                       # a copy: a does not
print(a, a.data_ptr() == v.data_ptr(), a.t().is_contiguous())
"""),
code("""
test_eq(a[0, 0].item(), 1.)
test_eq(a[1, 1].item(), 0.)
test_fail(lambda: a.t().view(6), contains='view')     # non-contiguous: view is refused
test_eq(a.t().reshape(6).tolist(), [1., 0., 0., 0., 0., 0.])
"""),
md("""
## Autograd in five lines

Every operation on a tensor with `requires_grad=True` is recorded; `backward()` walks the record in reverse and applies
the chain rule, leaving ∂loss/∂w in `w.grad`. The [micrograd page](01_micrograd.ipynb) builds this machinery by hand for scalars.
For $L = \\sum_i (w x_i - y_i)^2$ the gradient is $\\partial L/\\partial w = \\sum_i 2 (w x_i - y_i) x_i$.
"""),
code("""
w = torch.tensor(2.0, requires_grad=True)
xs, ys = torch.tensor([1., 2., 3.]), torch.tensor([2., 3., 7.])
L = ((w * xs - ys) ** 2).sum()
L.backward()
print(L.item(), w.grad.item())
"""),
code("""
test_close(w.grad.item(), (2 * (2.0 * xs - ys) * xs).sum().item())   # matches the formula worked by hand
"""),
md("""
## Counting parameters

A model's size is the number of scalars in its parameters. `count_params` is used on the model page to compare configurations,
optionally leaving out embedding tables (which are lookups, not compute).
"""),
code("""
#| export
def count_params(model: nn.Module, trainable_only: bool = False, exclude_embeddings: bool = False) -> int:
    "Number of scalars in `model`'s parameters (shared tensors counted once)."
    seen, n = set(), 0
    skip = {id(m.weight) for m in model.modules() if isinstance(m, nn.Embedding)} if exclude_embeddings else set()
    for p in model.parameters():
        if id(p) in seen or id(p) in skip or (trainable_only and not p.requires_grad): continue
        seen.add(id(p)); n += p.numel()
    return n
"""),
code("show_doc(count_params)"),
code("""
m = nn.Sequential(nn.Embedding(10, 4), nn.Linear(4, 3))
test_eq(count_params(m), 10*4 + 4*3 + 3)
test_eq(count_params(m, exclude_embeddings=True), 4*3 + 3)
m[1].bias.requires_grad_(False)
test_eq(count_params(m, trainable_only=True), 10*4 + 4*3)
tied = nn.Linear(4, 10, bias=False); tied.weight = m[0].weight          # weight tying: one tensor, two uses
test_eq(count_params(nn.ModuleList([m[0], tied])), 40)
"""),
md("""
## Moving to a device

Tensors and models live on one device; an operation needs all its inputs on the same one. `get_device` picks the best
available (CUDA, then Apple's MPS, then CPU) unless you name one; the training code and console scripts use it.
"""),
code("""
#| export
def get_device(device: str | torch.device | None = None) -> torch.device:
    "`device` if given (checked to be usable), else the best available: cuda, then mps, then cpu."
    if device is None or str(device) == 'auto':
        if torch.cuda.is_available(): return torch.device('cuda')
        if getattr(torch.backends, 'mps', None) is not None and torch.backends.mps.is_available(): return torch.device('mps')
        return torch.device('cpu')
    dev = torch.device(device)
    if dev.type == 'cuda' and not torch.cuda.is_available():
        raise RuntimeError(f"device {str(device)!r} was requested but CUDA is not available here; use 'cpu' or 'auto'")
    if dev.type == 'mps' and not (getattr(torch.backends, 'mps', None) is not None and torch.backends.mps.is_available()):
        raise RuntimeError(f"device {str(device)!r} was requested but MPS is not available here; use 'cpu' or 'auto'")
    return dev
"""),
code("show_doc(get_device)"),
code("""
dev = get_device()
print('best device here:', dev)
x = torch.randn(3, 3).to(dev); model = nn.Linear(3, 2).to(dev)
print(model(x).device)
"""),
code("""
test_eq(get_device('cpu'), torch.device('cpu'))
test_eq(get_device('auto').type, 'cuda' if torch.cuda.is_available() else get_device().type)
if not torch.cuda.is_available(): test_fail(lambda: get_device('cuda'), contains='CUDA is not available')
test_fail(lambda: get_device('banana'), contains='device')
"""),
md("""
That is all the tensor machinery the GPT needs. Next, [micrograd](01_micrograd.ipynb) opens up what `backward()` does.
"""),
code("""
#| hide
import nbdev; nbdev.nbdev_export()
"""),
]
write_notebook('nbs/00_tensors.ipynb', cells)
if '--run' in sys.argv: run_notebook('nbs/00_tensors.ipynb')

"""Draw the explainer's architecture diagrams with matplotlib and save them as SVG in nbs/images/.

    python tools/diagrams.py            # writes every diagram
    python tools/diagrams.py --png DIR  # also writes PNG copies into DIR (to look at them)

The pictures: the decoder block (pages 06 and index), Q/K/V and the multi-head split (05), the whole model from
ids to logits (06 and index), one training step (08). The names and shapes in them are those of the code:
`c_attn`, `c_proj`, `ln_1`, `ln_2`, `wte`, `wpe`, `lm_head`, `optim.train_step`. The files are deterministic (no date,
fixed hash salt), so running the script again changes nothing unless a drawing changed.
"""
import sys
from pathlib import Path
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch, FancyArrowPatch, Circle

OUT = Path(__file__).resolve().parent.parent / 'nbs' / 'images'
plt.rcParams.update({'svg.hashsalt': 'sml_gpt', 'font.family': 'DejaVu Sans', 'font.size': 11})

# one colour per kind of thing, the same in every diagram
COL = dict(norm='#fde9c8', attn='#cfe3f6', mlp='#d7efd2', emb='#ead9f2', io='#eeeeee', loss='#f7d0cc',
           opt='#fff3b0', edge='#333333', stream='#8a8a8a', shape='#555555')

def _fig(w, h):
    fig, ax = plt.subplots(figsize=(w, h))
    ax.set_xlim(0, w); ax.set_ylim(0, h); ax.axis('off'); ax.set_aspect('equal')
    return fig, ax

def box(ax, x, y, w, h, text, color, fs=11, bold=False, ls='-'):
    "A rounded box centred at (x, y) with `text` in it."
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle='round,pad=0.02,rounding_size=0.12',
                                fc=color, ec=COL['edge'], lw=1.2, ls=ls))
    ax.text(x, y, text, ha='center', va='center', fontsize=fs, fontweight='bold' if bold else 'normal')

def arrow(ax, p, q, color=None, lw=1.4, style='-|>', rad=0.0):
    "An arrow from point `p` to point `q`."
    ax.add_patch(FancyArrowPatch(p, q, arrowstyle=style, mutation_scale=14, lw=lw, color=color or COL['edge'],
                                 connectionstyle=f'arc3,rad={rad}', shrinkA=0, shrinkB=0))

def plus(ax, x, y, r=0.2):
    "The residual addition: a circle with a plus."
    ax.add_patch(Circle((x, y), r, fc='white', ec=COL['edge'], lw=1.4, zorder=3))
    ax.text(x, y, '+', ha='center', va='center', fontsize=15, zorder=4)

def shape(ax, x, y, text, ha='left', fs=9.5):
    "A tensor shape written beside an arrow."
    ax.text(x, y, text, ha=ha, va='center', fontsize=fs, color=COL['shape'], family='DejaVu Sans Mono')

def save(fig, name, png_dir=None):
    OUT.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT / f'{name}.svg', bbox_inches='tight', pad_inches=0.1, metadata={'Date': None})
    if png_dir: fig.savefig(Path(png_dir) / f'{name}.png', bbox_inches='tight', pad_inches=0.1, dpi=110)
    plt.close(fig)

def decoder_block(png_dir=None):
    "Pre-LN decoder block: x + attn(ln_1(x)), then + mlp(ln_2(x)), on the residual stream."
    fig, ax = _fig(7.4, 8.2)
    xs, xb = 1.6, 4.6                                  # residual stream, branch column
    ax.text(xs, 0.25, 'x  (B, T, C)', ha='center', fontsize=10.5, family='DejaVu Sans Mono')
    ax.text(xs, 7.85, 'x  (B, T, C)', ha='center', fontsize=10.5, family='DejaVu Sans Mono')
    y1, y2 = 3.55, 6.75                                # the two additions
    for a, b in [(0.55, y1 - 0.2), (y1 + 0.2, y2 - 0.2)]: arrow(ax, (xs, a), (xs, b), COL['stream'], lw=3)
    arrow(ax, (xs, y2 + 0.2), (xs, 7.65), COL['stream'], lw=3)
    plus(ax, xs, y1); plus(ax, xs, y2)
    ax.text(xs - 0.35, 2.0, 'residual stream', rotation=90, ha='center', va='center', fontsize=10, color='#666')
    for (y0, yp, ln, op, opc, txt) in [(1.0, y1, 'LayerNorm  ln_1', 'causal self-attention\nattn (page 05)',
                                        COL['attn'], 'tokens look at\nearlier tokens'),
                                       (4.2, y2, 'LayerNorm  ln_2', 'MLP  (feed-forward)\nC → 4C → GELU → C',
                                        COL['mlp'], 'each position\non its own')]:
        ax.plot([xs, xb], [y0, y0], color=COL['edge'], lw=1.4)            # branch off the stream
        ax.add_patch(Circle((xs, y0), 0.06, color=COL['edge']))
        arrow(ax, (xb, y0), (xb, y0 + 0.35))
        box(ax, xb, y0 + 0.65, 2.6, 0.6, ln, COL['norm'])
        arrow(ax, (xb, y0 + 0.95), (xb, y0 + 1.3))
        box(ax, xb, y0 + 1.75, 2.9, 0.9, op, opc)
        ax.text(xb + 1.6, y0 + 1.75, txt, ha='left', va='center', fontsize=9, color='#666', style='italic')
        ax.plot([xb, xb], [y0 + 2.2, yp], color=COL['edge'], lw=1.4)
        arrow(ax, (xb, yp), (xs + 0.2, yp))
        shape(ax, xb + 0.1, y0 + 2.4, '(B, T, C)')
    ax.text(3.7, -0.35, 'x = x + attn(ln_1(x));   x = x + mlp(ln_2(x))', ha='center', fontsize=10.5,
            family='DejaVu Sans Mono')
    save(fig, 'decoder_block', png_dir)

def attention_heads(png_dir=None):
    "x -> c_attn -> q, k, v -> split into H heads -> attention per head -> heads side by side -> c_proj."
    fig, ax = _fig(8.6, 8.4)
    H, cols = 4, ['#9ecae1', '#fdae6b', '#a1d99b', '#bcbddc']
    box(ax, 0.8, 6.8, 1.2, 0.7, 'x', COL['io'], bold=True, fs=13); shape(ax, 0.8, 6.2, '(B, T, C)', ha='center', fs=10.5)
    arrow(ax, (1.4, 6.8), (1.85, 6.8))
    box(ax, 2.8, 6.8, 1.9, 0.9, 'c_attn\nLinear(C, 3C)', COL['attn'], fs=11.5)
    arrow(ax, (3.75, 6.8), (4.75, 6.8)); shape(ax, 4.27, 7.1, '(B, T, 3C)', ha='center', fs=9.5)
    for i, nm in enumerate('qkv'):                   # each a (B, T, C) slab cut into H slices of D = C / H features
        y = 7.7 - i * 0.9
        ax.text(5.05, y, nm, ha='center', va='center', fontsize=15, fontweight='bold')
        for h in range(H):
            ax.add_patch(plt.Rectangle((5.35 + h * 0.5, y - 0.3), 0.5, 0.6, fc=cols[h], ec=COL['edge'], lw=1))
        shape(ax, 7.45, y, '(B, T, C)', fs=10.5)
    ax.text(6.35, 8.25, 'C = H · D features: one colour per head', ha='center', fontsize=10.5, color='#555')
    arrow(ax, (6.35, 5.55), (6.35, 4.6))
    ax.text(6.1, 5.08, 'split into heads:  .view(B, T, H, D).transpose(1, 2)  →  (B, H, T, D)', ha='right',
            va='center', fontsize=10, family='DejaVu Sans Mono', color='#333')
    for h in range(H):                               # attention in every head at once
        x = 1.1 + h * 2.15
        ax.add_patch(FancyBboxPatch((x - 1.0, 2.85), 2.0, 1.7, boxstyle='round,pad=0.02,rounding_size=0.1',
                                    fc=cols[h], ec=COL['edge'], lw=1, alpha=0.6))
        ax.text(x, 4.25, f'head {h + 1}', ha='center', fontsize=11.5, fontweight='bold')
        ax.text(x, 3.65, 'softmax(q kᵀ / √D\n+ causal mask) v', ha='center', va='center', fontsize=10.5)
        ax.text(x, 3.05, '(B, T, D)', ha='center', fontsize=10, color=COL['shape'], family='DejaVu Sans Mono')
    ax.text(4.3, 2.5, 'all H heads run at once: one batched matmul over (B, H)', ha='center', fontsize=10.5, color='#333')
    arrow(ax, (4.3, 2.25), (4.3, 1.3))
    ax.text(4.55, 1.78, 'heads side by side:  .transpose(1, 2).view(B, T, C)', ha='left', va='center', fontsize=10,
            family='DejaVu Sans Mono', color='#333')
    box(ax, 4.3, 0.85, 2.1, 0.9, 'c_proj\nLinear(C, C)', COL['attn'], fs=11.5)
    shape(ax, 5.5, 0.85, '(B, T, C): the output', fs=10.5)
    save(fig, 'attention_heads', png_dir)

def gpt_model(png_dir=None):
    "ids -> wte + wpe -> dropout -> n_layer blocks -> ln_f -> lm_head -> logits (-> cross-entropy with targets)."
    fig, ax = _fig(7.6, 9.8)
    x = 2.2
    steps = [(0.5, 'token ids  idx', COL['io'], '(B, T)'),
             (1.65, 'wte: token embedding', COL['emb'], '(B, T, C)'),
             (2.8, '+ wpe: position vectors', COL['emb'], '(B, T, C)'),
             (4.15, 'Block × n_layer\n(attention + MLP)', COL['attn'], '(B, T, C)'),
             (5.5, 'ln_f: final LayerNorm', COL['norm'], '(B, T, C)'),
             (6.65, 'lm_head: Linear(C, V)', COL['mlp'], '(B, T, V)'),
             (7.8, 'logits', 'white', '(B, T, V)'),
             (9.1, 'loss: cross-entropy\nof logits and targets', COL['loss'], '')]
    for i, (y, t, c, sh) in enumerate(steps):
        h = 0.95 if i in (3, 7) else 0.65
        box(ax, x, y, 3.4, h, t, c, fs=11.5, bold=(i in (3, 6)))
        if sh: shape(ax, x + 1.85, y, sh, fs=10.5)
        if i: arrow(ax, (x, steps[i - 1][0] + (0.475 if i == 4 else 0.325)), (x, y - h / 2))
    ax.annotate('', xy=(5.35, 1.65), xytext=(5.35, 6.65),
                arrowprops=dict(arrowstyle='<->', color='#888', lw=1.1, ls='--', connectionstyle='arc3,rad=-0.3'))
    ax.text(6.2, 4.15, 'tie_weights:\nwte and lm_head\nshare one matrix', ha='left', va='center', fontsize=10,
            color='#555')
    ax.text(x, -0.1, 'C = n_embd,  V = vocab_size,  T ≤ block_size', ha='center', fontsize=10, color='#555')
    save(fig, 'gpt_model', png_dir)

def train_step(png_dir=None):
    "One optimizer step (optim.train_step): forward, loss, backward, clip, step, zero grad; then the next batch."
    fig, ax = _fig(9.0, 4.6)
    top, bot = 3.4, 1.3
    row1 = [(1.0, 'batch (x, y)', COL['io']), (3.2, 'forward\nlogits = model(x)', COL['attn']),
            (5.4, 'loss\ncross-entropy', COL['loss']), (7.5, 'backward\nloss.backward()', COL['loss'])]
    row2 = [(7.5, 'clip\n‖grad‖ ≤ grad_clip', COL['norm']), (5.1, 'optimizer.step()\nAdamW at lr(step)', COL['opt']),
            (2.7, 'zero_grad()', COL['opt'])]
    w = 1.85
    for i, (xx, t, c) in enumerate(row1):
        box(ax, xx, top, w if i else 1.5, 0.9, t, c, fs=11)
        if i: arrow(ax, (row1[i - 1][0] + (w if i > 1 else 1.5) / 2, top), (xx - w / 2, top))
    arrow(ax, (7.5, top - 0.45), (7.5, bot + 0.45))
    for i, (xx, t, c) in enumerate(row2):
        box(ax, xx, bot, 2.0, 0.9, t, c, fs=11)
        if i: arrow(ax, (row2[i - 1][0] - 1.0, bot), (xx + 1.0, bot))
    ax.plot([1.7, 1.0], [bot, bot], color=COL['edge'], lw=1.4)
    arrow(ax, (1.0, bot), (1.0, top - 0.45))
    ax.text(1.1, 2.35, 'next step', ha='left', va='center', fontsize=10, color='#555', style='italic')
    ax.annotate('', xy=(8.45, top + 0.6), xytext=(2.3, top + 0.6), arrowprops=dict(arrowstyle='<->', color='#777', lw=1))
    ax.text(5.35, top + 0.85, 'gradient accumulation: repeated for k micro-batches (loss / k); the gradients add up',
            ha='center', fontsize=10, color='#555')
    ax.text(4.2, 0.35, 'optim.train_step does one such step', ha='center', fontsize=10, color='#555')
    save(fig, 'train_step', png_dir)

def ladder(png_dir=None):
    "The GPT of the ladder page (18): every part tagged with the rung that adds it; the bigram table beside it."
    fig, ax = _fig(9.4, 10.4)
    xs, xb = 3.2, 5.6                                  # residual stream, branch column
    def tag(y, text, x=8.15):
        ax.text(x, y, text, ha='left', va='center', fontsize=10, color='#7a3b00', fontweight='bold')
    box(ax, xs, 0.45, 2.6, 0.55, 'token ids  x', COL['io'])
    arrow(ax, (xs, 0.73), (xs, 1.05))
    box(ax, xs, 1.35, 2.6, 0.6, 'wte: embedding E', COL['emb']); tag(1.35, 'head', 4.65)
    arrow(ax, (xs, 1.65), (xs, 2.0))
    box(ax, xs, 2.3, 2.6, 0.6, '+ wpe: positions P', COL['emb']); tag(2.3, 'positions', 4.65)
    y1, y2 = 5.25, 8.0                                 # the two additions
    ax.add_patch(FancyBboxPatch((1.2, 2.85), 7.0, 5.6, boxstyle='round,pad=0.02,rounding_size=0.15', fc='none',
                                ec='#999', lw=1.2, ls=':'))
    ax.text(8.05, 8.2, 'the block: once below rung gpt, L times at gpt', fontsize=9.5, color='#666', va='center',
            ha='right')
    for a, b in [(2.6, y1 - 0.2), (y1 + 0.2, y2 - 0.2)]: arrow(ax, (xs, a), (xs, b), COL['stream'], lw=3)
    plus(ax, xs, y1); plus(ax, xs, y2); tag(y1, 'residual', 1.55); tag(y2, 'residual', 1.55)
    for y0, yp, op, opc, rung in [(3.1, y1, 'attention: 1 head\n→ H heads', COL['attn'], 'head → heads'),
                                  (5.85, y2, 'MLP  C → 4C → C', COL['mlp'], 'mlp')]:
        ax.plot([xs, xb], [y0, y0], color=COL['edge'], lw=1.4)
        ax.add_patch(Circle((xs, y0), 0.06, color=COL['edge']))
        arrow(ax, (xb, y0), (xb, y0 + 0.25))
        box(ax, xb, y0 + 0.5, 2.5, 0.5, 'LayerNorm', COL['norm'], fs=10); tag(y0 + 0.5, 'layernorm', 7.0)
        arrow(ax, (xb, y0 + 0.75), (xb, y0 + 1.05))
        box(ax, xb, y0 + 1.4, 2.5, 0.7, op, opc, fs=10.5); tag(y0 + 1.4, rung, 7.0)
        ax.plot([xb, xb], [y0 + 1.75, yp], color=COL['edge'], lw=1.4)
        arrow(ax, (xb, yp), (xs + 0.2, yp))
    arrow(ax, (xs, y2 + 0.2), (xs, 8.75))
    box(ax, xs, 9.05, 2.6, 0.55, 'ln_f: LayerNorm', COL['norm']); tag(9.05, 'layernorm', 4.65)
    arrow(ax, (xs, 9.33), (xs, 9.6))
    box(ax, xs, 9.9, 2.6, 0.55, 'logits = h Eᵀ', COL['mlp']); tag(9.9, 'head', 4.65)
    ax.text(0.2, 10.3, 'bigram: logits = W[x], one V × V table, no other part', fontsize=10, color='#7a3b00')
    ax.text(4.7, -0.2, 'each tag names the rung that adds the part; a rung keeps the parts of the rungs below it',
            ha='center', fontsize=9.5, color='#555')
    save(fig, 'ladder', png_dir)

ALL = [decoder_block, attention_heads, gpt_model, train_step, ladder]

if __name__ == '__main__':
    png = sys.argv[sys.argv.index('--png') + 1] if '--png' in sys.argv else None
    if png: Path(png).mkdir(parents=True, exist_ok=True)
    for f in ALL: f(png); print('wrote', OUT / f'{f.__name__}.svg')

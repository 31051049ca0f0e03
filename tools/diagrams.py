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
    fig, ax = _fig(11.8, 7.0)
    H, cols = 4, ['#9ecae1', '#fdae6b', '#a1d99b', '#bcbddc']
    box(ax, 0.9, 6.1, 1.3, 0.6, 'x', COL['io'], bold=True); shape(ax, 0.9, 5.6, '(B, T, C)', ha='center')
    arrow(ax, (1.55, 6.1), (2.25, 6.1))
    box(ax, 3.2, 6.1, 1.9, 0.75, 'c_attn\nLinear(C, 3C)', COL['attn'], fs=10)
    arrow(ax, (4.15, 6.1), (5.3, 6.1)); shape(ax, 4.72, 6.4, '(B, T, 3C)', ha='center', fs=8.5)
    # q, k, v: each a (B, T, C) slab cut into H slices of D = C / H features
    for i, nm in enumerate('qkv'):
        y = 6.1 - i * 1.0
        ax.text(5.55, y, nm, ha='center', va='center', fontsize=13, fontweight='bold')
        for h in range(H):
            ax.add_patch(plt.Rectangle((5.85 + h * 0.42, y - 0.33), 0.42, 0.66, fc=cols[h], ec=COL['edge'], lw=1))
        shape(ax, 7.65, y, '(B, T, C)')
    ax.text(6.69, 6.7, 'C = H · D features: one colour per head', ha='center', fontsize=9, color='#555')
    arrow(ax, (6.69, 3.7), (6.69, 2.45))
    ax.text(6.5, 3.08, 'split into heads:  .view(B, T, H, D).transpose(1, 2)  →  (B, H, T, D)', ha='right',
            va='center', fontsize=9, family='DejaVu Sans Mono', color='#333')
    # per-head attention
    for h in range(H):
        x = 1.6 + h * 2.35
        ax.add_patch(FancyBboxPatch((x - 1.0, 0.55), 2.0, 1.75, boxstyle='round,pad=0.02,rounding_size=0.1',
                                    fc=cols[h], ec=COL['edge'], lw=1, alpha=0.55))
        ax.text(x, 2.05, f'head {h + 1}', ha='center', fontsize=10, fontweight='bold')
        ax.text(x, 1.45, 'softmax(q kᵀ / √D\n + causal mask) v', ha='center', va='center', fontsize=9)
        ax.text(x, 0.8, '(B, T, D)', ha='center', fontsize=8.5, color=COL['shape'], family='DejaVu Sans Mono')
    ax.text(5.15, 0.15, 'all H heads run at once: one batched matmul over the (B, H) dimensions',
            ha='center', fontsize=9.5, color='#333')
    # heads side by side, then the output projection
    arrow(ax, (9.65, 1.45), (10.35, 1.45))
    ax.text(10.0, 2.75, 'heads side by side:\n.transpose(1, 2)\n.view(B, T, C)', ha='left', va='center',
            fontsize=8.5, family='DejaVu Sans Mono', color='#333')
    box(ax, 10.95, 1.45, 1.2, 0.75, 'c_proj\nLinear(C, C)', COL['attn'], fs=9)
    shape(ax, 10.95, 0.8, '(B, T, C)', ha='center')
    save(fig, 'attention_heads', png_dir)

def gpt_model(png_dir=None):
    "ids -> wte + wpe -> dropout -> n_layer blocks -> ln_f -> lm_head -> logits (-> cross-entropy with targets)."
    fig, ax = _fig(12.6, 3.5)
    y = 2.0
    steps = [(0.75, 1.1, 'token ids\nidx', COL['io'], '(B, T)'),
             (2.45, 1.7, 'wte\nembedding', COL['emb'], '(B, T, C)'),
             (4.45, 1.6, '+ wpe\npositions', COL['emb'], '(B, T, C)'),
             (6.55, 1.9, 'Block × n_layer\n(attn + MLP)', COL['attn'], '(B, T, C)'),
             (8.55, 1.4, 'ln_f\nLayerNorm', COL['norm'], '(B, T, C)'),
             (10.35, 1.5, 'lm_head\nLinear(C, V)', COL['mlp'], '(B, T, V)')]
    for i, (x, w, t, c, s) in enumerate(steps):
        box(ax, x, y, w, 0.95, t, c, fs=10, bold=(i == 3))
        shape(ax, x, y - 0.75, s, ha='center')
        if i: arrow(ax, (steps[i - 1][0] + steps[i - 1][1] / 2, y), (x - w / 2, y))
    arrow(ax, (11.1, y), (11.55, y))
    ax.text(11.65, y, 'logits', ha='left', va='center', fontsize=11, fontweight='bold')
    ax.plot([12.05, 12.05], [y - 0.35, 0.3], color=COL['edge'], lw=1.4)
    arrow(ax, (12.05, 0.3), (11.35, 0.3))
    box(ax, 9.55, 0.3, 3.6, 0.5, 'cross-entropy with targets  →  loss', COL['loss'], fs=9.5)
    ax.text(3.6, 0.3, 'C = n_embd,  V = vocab_size,  T ≤ block_size', ha='center', fontsize=9.5, color='#555')
    ax.text(6.4, 3.25, 'wte and lm_head share one weight matrix (tie_weights)', ha='center', fontsize=9,
            color='#555')
    ax.annotate('', xy=(2.45, 2.5), xytext=(10.35, 2.5),
                arrowprops=dict(arrowstyle='<->', color='#999', lw=1, ls='--', connectionstyle='arc3,rad=0.12'))
    save(fig, 'gpt_model', png_dir)

def train_step(png_dir=None):
    "One optimizer step (optim.train_step): forward, loss, backward, clip, step, zero grad; then the next batch."
    fig, ax = _fig(13.4, 3.7)
    y = 2.3
    steps = [(0.8, 1.2, 'batch\n(x, y)', COL['io']),
             (2.7, 2.0, 'forward\nlogits = model(x)', COL['attn']),
             (4.95, 1.9, 'loss\ncross-entropy', COL['loss']),
             (7.2, 2.0, 'backward\nloss.backward()', COL['loss']),
             (9.45, 1.9, 'clip\n‖grad‖ ≤ grad_clip', COL['norm']),
             (11.85, 2.0, 'optimizer.step()\nAdamW, lr(step)', COL['opt'])]
    for i, (x, w, t, c) in enumerate(steps):
        box(ax, x, y, w, 1.0, t, c, fs=9.5)
        if i: arrow(ax, (steps[i - 1][0] + steps[i - 1][1] / 2, y), (x - w / 2, y))
    box(ax, 11.85, 0.55, 1.7, 0.55, 'zero_grad()', COL['opt'], fs=9.5)
    arrow(ax, (11.85, y - 0.5), (11.85, 0.83))
    ax.plot([11.0, 0.8], [0.55, 0.55], color=COL['edge'], lw=1.4)
    arrow(ax, (0.8, 0.55), (0.8, y - 0.5))
    ax.text(6.0, 0.78, 'next step: a new batch, the next learning rate', ha='center', fontsize=9.5, color='#555',
            style='italic')
    ax.annotate('', xy=(8.2, 3.05), xytext=(1.7, 3.05), arrowprops=dict(arrowstyle='<->', color='#777', lw=1))
    ax.text(4.95, 3.35, 'gradient accumulation: repeated for k micro-batches (loss / k), the gradients add up',
            ha='center', fontsize=9.5, color='#555')
    save(fig, 'train_step', png_dir)

ALL = [decoder_block, attention_heads, gpt_model, train_step]

if __name__ == '__main__':
    png = sys.argv[sys.argv.index('--png') + 1] if '--png' in sys.argv else None
    if png: Path(png).mkdir(parents=True, exist_ok=True)
    for f in ALL: f(png); print('wrote', OUT / f'{f.__name__}.svg')

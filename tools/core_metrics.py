"""Measure how readable the core is: the figures of the core-owners issue, from the package and the notebooks.

    python tools/core_metrics.py            # a table; --check exits 1 when a target is missed

What is counted (so a later session measures the same way):
- functions over 40/60 lines: `def` nodes of `sml_gpt/*.py` by `end_lineno - lineno + 1` (decorators excluded);
- exported cells over 60 lines: the source lines of `#| export` cells, directives included;
- messages split across lines: string literals (an implicit concatenation parses as one) spanning more than one source
  line, other than triple-quoted strings;
- truncated summaries: a notebook whose `> summary` line is followed by a non-blank line of the same paragraph;
- comments inside brackets: comments inside a call's argument list (a `def` signature's docments are not counted);
- later-page imports: a notebook whose cells import a `sml_gpt` module exported by a notebook numbered after it;
- cycles: the module graph from every `from .x import` / `import sml_gpt.x`, function-level imports included;
- input checks: lines of `if` statements whose body only raises, `raise` statements, `assert`s, `need(...)`
  calls, and whole functions named `_check*`/`check_*`/`validate*`, over the package's code lines (blank lines,
  comments and docstrings excluded).
"""
import ast, io, json, re, sys, tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG, NBS = ROOT / 'sml_gpt', ROOT / 'nbs'

def modules():
    return {p.stem: p for p in sorted(PKG.glob('*.py')) if p.stem not in ('__init__', '_modidx')}

def code_lines(src: str) -> set[int]:
    "Line numbers holding code: not blank, not only a comment, not inside a docstring."
    tree, lines = ast.parse(src), set()
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                            tokenize.ENDMARKER):
            lines.update(range(tok.start[0], tok.end[0] + 1))
    for n in ast.walk(tree):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)) and n.body:
            d = n.body[0]
            if isinstance(d, ast.Expr) and isinstance(d.value, ast.Constant) and isinstance(d.value.value, str):
                lines -= set(range(d.lineno, d.end_lineno + 1))
    return lines

def check_lines(tree) -> set[int]:
    out = set()
    def span(n): return set(range(n.lineno, n.end_lineno + 1))
    for n in ast.walk(tree):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and re.match(r'_?(check|validate)(_|$)', n.name):
            out |= span(n)
        elif isinstance(n, ast.If) and n.body and all(isinstance(b, ast.Raise) for b in n.body) and not n.orelse:
            out |= span(n)
        elif isinstance(n, (ast.Raise, ast.Assert)): out |= span(n)
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == 'need': out |= span(n)
    return out

def split_strings(src: str) -> list[int]:
    out = []
    for n in ast.walk(ast.parse(src)):
        if isinstance(n, (ast.Constant, ast.JoinedStr)) and n.lineno != n.end_lineno:
            if isinstance(n, ast.Constant) and not isinstance(n.value, str): continue
            seg = src.splitlines()[n.lineno - 1][n.col_offset:n.col_offset + 4]
            if '"""' in seg or "'''" in seg: continue
            out.append(n.lineno)
    return out

def comments_in_brackets(src: str) -> list[int]:
    "Lines of comments inside a call's argument list (docments in a `def` signature are the convention, not counted)."
    import keyword
    stack, out, prev = [], [], []
    for t in tokenize.generate_tokens(io.StringIO(src).readline):
        if t.type in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT): continue
        if t.type == tokenize.COMMENT:
            if stack and stack[-1] == 'call': out.append(t.start[0])
            continue
        if t.type == tokenize.OP and t.string in '([{':
            p1 = prev[-1] if prev else None; p2 = prev[-2] if len(prev) > 1 else None
            if t.string == '(' and p2 is not None and p2.string in ('def', 'class'): kind = 'def'
            elif t.string == '(' and p1 is not None and ((p1.type == tokenize.NAME and not keyword.iskeyword(p1.string))
                                                         or p1.string in (')', ']')): kind = 'call'
            else: kind = 'other'
            stack.append(kind)
        elif t.type == tokenize.OP and t.string in ')]}' and stack: stack.pop()
        prev = (prev + [t])[-2:]
    return out

def imports_of(src: str) -> set[str]:
    got = set()
    for n in ast.walk(ast.parse(src)):
        if isinstance(n, ast.ImportFrom):
            m = n.module or ''
            if n.level == 1: got.add(m.split('.')[0] or '')
            elif m.startswith('sml_gpt.'): got.add(m.split('.')[1])
            elif m == 'sml_gpt': got.update(a.name for a in n.names)
        elif isinstance(n, ast.Import):
            got.update(a.name.split('.')[1] for a in n.names if a.name.startswith('sml_gpt.'))
    return got

def cycles(graph: dict) -> list:
    found, state = [], {}
    def visit(v, path):
        state[v] = 1
        for w in sorted(graph.get(v, ())):
            if state.get(w) == 1: found.append(path[path.index(w):] + [w])
            elif not state.get(w): visit(w, path + [w])
        state[v] = 2
    for v in sorted(graph):
        if not state.get(v): visit(v, [v])
    return found

def notebooks():
    "(number, path, cells) of each numbered notebook."
    out = []
    for p in sorted(NBS.glob('[0-9][0-9]*_*.ipynb')):
        out.append((int(p.name[:2]), p, json.loads(p.read_text())['cells']))
    return out

def _src(c): return ''.join(c['source']) if isinstance(c['source'], list) else c['source']

def _body(s: str) -> str:
    "A cell's source without magics and shell lines, for parsing."
    return '\n'.join('' if l.lstrip().startswith(('%', '!')) else l for l in s.split('\n'))

def measure() -> dict:
    mods, r = modules(), {}
    total = checks = 0; long40, long60, splits, inside, graph = [], [], [], [], {}
    for name, p in mods.items():
        src = p.read_text(); tree = ast.parse(src)
        cl = code_lines(src); total += len(cl); checks += len(cl & check_lines(tree))
        for n in ast.walk(tree):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                ln = n.end_lineno - n.lineno + 1
                if ln > 40: long40.append(f'{name}.{n.name} {ln}')
                if ln > 60: long60.append(f'{name}.{n.name} {ln}')
        splits += [f'{name}:{l}' for l in split_strings(src)]
        inside += [f'{name}:{l}' for l in comments_in_brackets(src)]
        graph[name] = imports_of(src) & set(mods) - {name}
    r['package code lines'] = total
    r['modules'] = len(mods)
    r['input-check share %'] = round(100 * checks / total, 1)
    r['functions > 40 lines'] = long40
    r['functions > 60 lines'] = long60
    r['messages split across lines'] = splits
    r['comments inside brackets'] = inside
    r['import cycles'] = cycles(graph)
    train = mods.get('train')
    if train:
        src = train.read_text(); r['train.py lines'] = len(src.splitlines())
        for n in ast.walk(ast.parse(src)):
            if isinstance(n, ast.ClassDef) and n.name in ('TrainState', 'State'):
                r[f'{n.name} fields'] = sum(isinstance(b, ast.AnnAssign) for b in n.body)
    for n in ast.walk(ast.parse(mods['model'].read_text())):
        if isinstance(n, ast.ClassDef) and n.name == 'GPT':
            for f in n.body:
                if isinstance(f, ast.FunctionDef) and f.name == 'forward':
                    r['GPT.forward lines'] = f.end_lineno - f.lineno + 1
        # or `@patch def forward(self: GPT, ...)` at module level
        if (isinstance(n, ast.FunctionDef) and n.name == 'forward' and n.args.args
                and getattr(n.args.args[0].annotation, 'id', None) == 'GPT'):
            r['GPT.forward lines'] = n.end_lineno - n.lineno + 1
    page_of, cells60, later, summaries = {}, [], [], []
    nbs = notebooks()
    for num, p, cells in nbs:
        for c in cells:
            m = re.search(r'#\|\s*default_exp\s+(\w+)', _src(c))
            if m: page_of[m.group(1)] = num
    for num, p, cells in nbs:
        first_md = next((_src(c) for c in cells if c['cell_type'] == 'markdown'), '')
        ls = first_md.split('\n')
        for i, l in enumerate(ls):
            if l.startswith('> ') and i + 1 < len(ls) and ls[i + 1].strip() and not ls[i + 1].startswith('>'):
                summaries.append(p.name)
            elif l.startswith('> ') and i + 1 < len(ls) and ls[i + 1].startswith('> '): summaries.append(p.name)
        for c in cells:
            if c['cell_type'] != 'code': continue
            s = _src(c)
            if re.match(r'\s*#\|\s*export', s) and len(s.split('\n')) > 60:
                cells60.append(f'{p.name}:{c.get("id")} {len(s.split(chr(10)))}')
            try: imps = imports_of(_body(s))
            except SyntaxError: continue
            bad = sorted(m for m in imps if page_of.get(m, -1) > num)
            if bad: later.append(f'{p.name} -> {bad}')
    r['exported cells > 60 lines'] = cells60
    r['truncated summaries'] = sorted(set(summaries))
    r['later-page imports'] = sorted(set(later))
    return r

TARGETS = {'train.py lines': 350, 'TrainState fields': 10, 'State fields': 10, 'GPT.forward lines': 20,
           'input-check share %': 8}

def main():
    r = measure(); bad = []
    for k, v in r.items():
        if isinstance(v, list):
            print(f'{k}: {len(v)}'); [print('   ', x) for x in v[:60]]
            if v and k != 'functions > 40 lines': bad.append(k)
        else:
            print(f'{k}: {v}')
            if k in TARGETS and v > TARGETS[k]: bad.append(k)
    if '--check' in sys.argv and bad: print('missed:', ', '.join(bad)); sys.exit(1)

if __name__ == '__main__': main()

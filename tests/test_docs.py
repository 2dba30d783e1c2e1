"The docs site and the library agree with the notebooks (what can be checked without Quarto)."
import json, re
from pathlib import Path
ROOT = Path(__file__).parents[1]
NBS = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))

def test_sidebar_lists_every_notebook():
    listed = re.findall(r'-\s+(\S+\.ipynb)', (ROOT/'nbs'/'sidebar.yml').read_text())
    assert sorted(listed) == sorted(p.name for p in NBS)

def test_readme_is_the_index_notebook():
    nb = json.loads((ROOT/'nbs'/'index.ipynb').read_text())
    md = '\n\n'.join(''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'markdown').strip() + '\n'
    assert (ROOT/'README.md').read_text() == md

def test_ci_runs_the_readme_test_command():
    readme, ci = (ROOT/'README.md').read_text(), (ROOT/'.ci'/'run').read_text()
    test_cmd = [l for l in readme.splitlines() if '[dev]' in l][0].split('&&')[-2:]
    assert ' && '.join(c.strip() for c in test_cmd) in ci

def test_every_notebook_opens_with_title_and_subtitle():
    for p in NBS:
        cells = [c for c in json.loads(p.read_text())['cells'] if c['cell_type'] != 'raw']   # a raw cell holds front matter
        first = ''.join(cells[0]['source'])
        assert re.match(r'# .+\n+> .+', first), p.name

def test_every_module_has_its_notebook():
    for f in (ROOT/'subattr').glob('*.py'):
        m = re.search(r'File to edit: \.\./nbs/(\S+\.ipynb)', f.read_text())
        if f.name not in ('__init__.py', '_modidx.py'): assert m and (ROOT/'nbs'/m.group(1)).exists(), f.name

SHOWN = ('07_generate', '08_attention', '09_features', '11_attribution')   # instrument pages: each shows what it explains

def test_instrument_pages_carry_a_figure():
    for name in SHOWN:
        cells = json.loads((ROOT/'nbs'/f'{name}.ipynb').read_text())['cells']
        pngs = [o for c in cells for o in c.get('outputs', []) if 'image/png' in o.get('data', {})]
        assert pngs, f'{name} holds no figure in its saved outputs'

def test_every_notebook_renders_to_html():
    "What Quarto would render, short of Quarto: every notebook through nbconvert's HTML exporter, saved outputs included."
    import nbformat
    from nbconvert import HTMLExporter
    ex = HTMLExporter()
    for p in NBS:
        html, _ = ex.from_notebook_node(nbformat.read(str(p), as_version=4))
        md = '\n'.join(''.join(c['source']) for c in json.loads(p.read_text())['cells'] if c['cell_type'] == 'markdown')
        title = re.search(r'^# (\w+)', md, re.M)
        assert '<html' in html and (title is None or title.group(1) in html), p.name
        for c in json.loads(p.read_text())['cells']:   # every saved figure made it into the page
            for o in c.get('outputs', []):
                if 'image/png' in o.get('data', {}): assert o['data']['image/png'][:40] in html, p.name

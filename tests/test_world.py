"ShapesWorld from the command line: render, read back with the oracle, evaluate a model; bad values refused."
import json
import numpy as np, pytest
from PIL import Image
from conftest import run
from subattr.shapesworld import ATTRS, Oracle, Thing, render, render_many

def test_render_is_deterministic_and_read_back(tmp_path):
    a, b = tmp_path/'a.png', tmp_path/'b.png'
    for p in (a, b):
        r = run('world', 'render', '--shape', 'crescent', '--color', 'orange', '--texture', 'striped', '--seed', 7, '--out', p,
                '--world', 'closed')
        assert r.returncode == 0, r.stderr
    assert a.read_bytes() == b.read_bytes()
    r = run('world', 'read', a, b, '--json', '--world', 'closed')
    assert r.returncode == 0, r.stderr
    for rec in json.loads(r.stdout):
        assert (rec['shape'], rec['color'], rec['texture']) == ('crescent', 'orange', 'striped')
        assert 0 < rec['shape_conf'] <= 1

def test_read_names_open_world_renders(tmp_path):
    "By default `world read` names what Open ShapesWorld (and toy v2) draws, modifiers included."
    from subattr.openworld import Scene, Shape, Color, Texture, render as render2
    s = Scene(Shape('star', 6), Color(225., .95, .95), Texture('striped'))   # a vivid blue six-pointed star, stripes
    Image.fromarray(render2(s)).save(tmp_path/'s.png')
    r = run('world', 'read', tmp_path/'s.png')
    assert r.returncode == 0 and r.stdout.strip().endswith('vivid blue striped six-pointed star'), (r.stdout, r.stderr)

def test_omitted_attributes_are_random_but_seeded(tmp_path):
    outs = [run('world', 'render', '--seed', s, '--out', tmp_path/f'{s}.png').stdout for s in (1, 1, 2)]
    assert outs[0].split(':')[1] == outs[1].split(':')[1]

def test_named_render_in_the_open_world(tmp_path):
    "By default `world render` draws Open ShapesWorld, with the words given; `world read` reads them back."
    out = tmp_path/'s.png'
    r = run('world', 'render', '--shape', 'five-pointed star', '--color', 'blue', '--texture', 'plain', '--seed', 1, '--out', out)
    assert r.returncode == 0 and 'five-pointed star' in r.stdout and ' blue ' in r.stdout, r.stdout + r.stderr
    rec = json.loads(run('world', 'read', out, '--json').stdout)[0]
    assert (rec['shape'], rec['color'], rec['texture']) == ('five-pointed star', 'blue', 'plain'), rec
    r = run('world', 'render', '--color', 'cyan', '--out', out)
    assert r.returncode == 1 and '--novel color' in r.stderr

@pytest.mark.parametrize('flag, bad, listed', [('--shape', 'squiggle', 'circle'), ('--color', 'mauve', 'red'), ('--texture', 'furry', 'plain')])
def test_unknown_values_list_the_valid_ones(tmp_path, flag, bad, listed):
    out = tmp_path/'x.png'
    r = run('world', 'render', flag, bad, '--out', out)
    assert r.returncode == 1 and listed in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not out.exists()

def test_render_does_not_clobber_on_error(tmp_path):
    out = tmp_path/'keep.png'; out.write_bytes(b'precious')
    assert run('world', 'render', '--color', 'mauve', '--out', out).returncode == 1
    assert out.read_bytes() == b'precious'

def test_read_refuses_non_images(tmp_path):
    (tmp_path/'n.txt').write_text('hello')
    r = run('world', 'read', tmp_path/'n.txt')
    assert r.returncode == 1 and 'is not an image' in r.stderr

def test_oracle_reads_fresh_renders():
    imgs, things = render_many(240, seed=4242)
    reads = Oracle.load().read(imgs)
    for k in ATTRS:
        acc = np.mean([r[k] == getattr(t, k) for r, t in zip(reads, things)])
        assert acc >= .97, (k, acc)

def test_same_seed_same_pixels():
    a, _ = render_many(8, seed=5); b, _ = render_many(8, seed=5)
    assert (a == b).all()

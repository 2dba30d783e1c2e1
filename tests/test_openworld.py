"Open ShapesWorld from the command line: novel references, oracle v2 comparisons, and their refusals."
import json, random
import numpy as np, pytest
from PIL import Image
from conftest import run
from subattr.openworld import Color, Scene, Shape, Texture, is_novel, render, sample_scene, seen_value

@pytest.mark.parametrize('attr', ['shape', 'color', 'texture'])
def test_novel_render_draws_from_the_held_out_region(tmp_path, attr):
    out = tmp_path/'ref.png'
    r = run('world', 'render', '--novel', attr, '--seed', 11, '--out', out, '--json')
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    cls = dict(shape=Shape, color=Color, texture=Texture)
    vals = {k: cls[k](**rec[k]) for k in cls}
    assert is_novel(attr, vals[attr]) and not any(is_novel(k, v) for k, v in vals.items() if k != attr)
    again = tmp_path/'again.png'
    assert run('world', 'render', '--novel', attr, '--seed', 11, '--out', again).returncode == 0
    assert out.read_bytes() == again.read_bytes()

def test_compare_says_which_attribute_is_shared(tmp_path):
    rng = random.Random(3)
    ref = sample_scene(rng, novel='shape')
    scenes = {'shape': sample_scene(rng, shape=ref.shape, color=seen_value('color', rng)),
              'color': sample_scene(rng, color=ref.color, shape=seen_value('shape', rng)),
              'texture': sample_scene(rng, texture=ref.texture, shape=seen_value('shape', rng))}
    Image.fromarray(render(ref)).save(tmp_path/'ref.png')
    files = []
    for k, s in scenes.items(): Image.fromarray(render(s)).save(tmp_path/f'{k}.png'); files.append(tmp_path/f'{k}.png')
    r = run('world', 'compare', tmp_path/'ref.png', *files, '--json')
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    for k, row in zip(scenes, rows):
        assert row[k]['same'], (k, row)
        assert row['shape']['same'] == (k == 'shape')
        assert set(row[k]) == {'distance', 'same'}
    text = run('world', 'compare', tmp_path/'ref.png', files[0]).stdout
    assert 'shape same' in text

def test_compare_reads_each_tile_of_a_row(tmp_path):
    rng = random.Random(4); a, b = sample_scene(rng), sample_scene(rng)
    Image.fromarray(np.concatenate([render(a), render(b)], 1)).save(tmp_path/'row.png')
    Image.fromarray(render(a)).save(tmp_path/'a.png')
    rows = json.loads(run('world', 'compare', tmp_path/'a.png', tmp_path/'row.png', '--json').stdout)
    assert [r['tile'] for r in rows] == [0, 1] and rows[0]['color']['same'] and rows[0]['color']['distance'] == 0

def test_compare_refuses_bad_input(tmp_path):
    Image.fromarray(render(sample_scene(random.Random(5)))).save(tmp_path/'a.png')
    Image.new('RGB', (128, 64)).save(tmp_path/'row.png')
    for args, msg in (((tmp_path/'nope.png', tmp_path/'a.png'), 'does not exist'),
                      ((tmp_path/'row.png', tmp_path/'a.png'), 'give one square image'),
                      ((tmp_path/'a.png', tmp_path), 'is a folder')):
        r = run('world', 'compare', *args)
        assert r.returncode == 1 and msg in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr

def test_novel_refuses_first_world_values_and_unknown_attributes(tmp_path):
    out = tmp_path/'x.png'
    r = run('world', 'render', '--novel', 'color', '--shape', 'star', '--out', out)
    assert r.returncode == 1 and 'leave out --shape' in r.stderr and not out.exists()
    r = run('world', 'render', '--novel', 'size', '--out', out)
    assert r.returncode == 2 and not out.exists()

def test_an_empty_image_is_the_same_as_nothing(tmp_path):
    "No object found: every attribute is 'different', at an infinite distance."
    from subattr.similarity import compare
    blank = np.full((1, 64, 64, 3), 128, np.uint8)
    res = compare(render(sample_scene(random.Random(6)))[None], blank)[0]
    assert all(not v['same'] and v['distance'] == float('inf') for v in res.values())

def test_compare_json_writes_no_object_as_null(tmp_path):
    Image.fromarray(render(sample_scene(random.Random(7)))).save(tmp_path/'a.png')
    Image.new('RGB', (64, 64), (90, 90, 90)).save(tmp_path/'blank.png')
    r = run('world', 'compare', tmp_path/'a.png', tmp_path/'blank.png', '--json')
    assert r.returncode == 0 and 'Infinity' not in r.stdout
    assert json.loads(r.stdout)[0]['shape'] == {'distance': None, 'same': False}
    assert 'no object found' in run('world', 'compare', tmp_path/'a.png', tmp_path/'blank.png').stdout

def test_compare_measures_every_input_at_64_px():
    "Arrays of another size are measured at 64 px, as paths and PIL images are, so the calibrated thresholds hold."
    from PIL import Image as PILImage
    from subattr.similarity import compare
    s = sample_scene(random.Random(8)); small = render(s)
    big = np.asarray(PILImage.fromarray(small).resize((128, 128), PILImage.NEAREST))
    r = compare(small[None], big[None])[0]
    assert all(v['same'] for v in r.values()), r

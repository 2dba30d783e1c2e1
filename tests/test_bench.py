"`subattr bench`: the synthetic bench on the shipped toy, resumed; the real-image bench on tiny and sd15-random."
import json, re
import numpy as np
import pytest
from PIL import Image, ImageDraw
from conftest import run

FAST = ['--samples', '1', '--steps', '2', '--sample-steps', '2', '--seeds', '1']

def test_synthetic_bench_writes_and_resumes(tmp_path):
    out = tmp_path/'b'
    args = ['bench', '--model', 'toy', '--out', out, '--method', 'textual-inversion', '--method', 'pplus',
            '--task', 'shape', '--refs', '1', '--prompts', '1', *FAST]
    r = run(*args)
    assert r.returncode == 0, r.stderr
    want = {'items', 'images', 'grids', 'bench.json', 'bench.csv', 'bench.md', 'bench.png'}
    assert {p.name for p in out.iterdir()} == want
    rows = json.loads((out/'bench.json').read_text())
    rows = rows['rows'] if isinstance(rows, dict) else rows
    assert {r['method'] for r in rows} == {'textual-inversion', 'pplus'} and len(rows) == 2
    md = (out/'bench.md').read_text()
    assert '| textual-inversion | shape |' in md
    assert re.search(r'Codec ceiling [^\n]*: shape [01]\.\d\d \[[01]\.\d\d, [01]\.\d\d\]\.', md), md
    before = {p.name: p.stat().st_mtime_ns for p in (out/'items').iterdir()}
    r2 = run(*args)   # resumed: no item runs again
    assert r2.returncode == 0, r2.stderr
    assert {p.name: p.stat().st_mtime_ns for p in (out/'items').iterdir()} == before
    assert r.stdout.splitlines()[:3] == r2.stdout.splitlines()[:3]   # the same table

def _photos(d, size=96):
    "Two made-up photos (colour fields with a shape and grain) and their manifest."
    d.mkdir()
    for i in range(2):
        g = np.random.default_rng(i); y, x = np.mgrid[0:size, 0:size] / size
        base = np.stack([.5 + .4 * np.sin(3 * x + i), .4 + .3 * y, .6 - .3 * x * y], -1)
        im = Image.fromarray((np.clip(base + g.normal(0, .03, base.shape), 0, 1) * 255).astype(np.uint8))
        ImageDraw.Draw(im).rectangle([20, 25 + i, 70, 80], fill=tuple(g.integers(0, 255, 3).tolist()))
        im.save(d/f'p{i}.png')
    (d/'manifest.json').write_text(json.dumps([
        dict(image='p0.png', attribute='shape', prompts=['a {} made of glass']),
        dict(image='p1.png', attribute='appearance', prompts=['a {} cat'])]))
    return d

@pytest.fixture(scope='module')
def scorer_models(tmp_path_factory):
    "A tiny random CLIP and a tiny random DINOv2, saved as local folders the way a user's arrive."
    from transformers import CLIPConfig, CLIPModel, Dinov2Config, Dinov2Model, CLIPTokenizer
    from subattr.core import data_path
    d = tmp_path_factory.mktemp('scorers')
    tok = CLIPTokenizer.from_pretrained(data_path('tokenizer'))
    tc = dict(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
              max_position_embeddings=77, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
              pad_token_id=tok.pad_token_id)
    vc = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2, image_size=32,
              patch_size=8)
    CLIPModel(CLIPConfig(text_config=tc, vision_config=vc, projection_dim=16)).save_pretrained(d/'clip')
    tok.save_pretrained(d/'clip')
    Dinov2Model(Dinov2Config(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                             image_size=32, patch_size=8)).save_pretrained(d/'dino')
    return d

@pytest.mark.parametrize('model, extra', [('tiny', []), ('sd15-random', ['--width', '0.125', '--resolution', '64'])])
def test_real_bench(model, extra, tmp_path, scorer_models):
    ph = _photos(tmp_path/'photos')
    out = tmp_path/'b'
    r = run('bench', '--model', model, '--references', ph, '--manifest', ph/'manifest.json', '--out', out,
            '--method', 'textual-inversion', '--method', 'dreambooth-lora', '--clip', scorer_models/'clip',
            '--dino', scorer_models/'dino', *FAST, *extra, timeout=600)
    assert r.returncode == 0, r.stderr
    rows = json.loads((out/'bench.json').read_text())
    rows = rows['rows'] if isinstance(rows, dict) else rows
    assert len(rows) == 2 * 2 and {r['task'] for r in rows} == {'real-shape', 'real-appearance'}
    assert all(-1 <= r['clip_image'] <= 1 and -1 <= r['dino'] <= 1 for r in rows)
    md = (out/'bench.md').read_text()
    assert 'clip image' in md and 'dino' in md

def test_bad_manifest_is_refused_and_nothing_is_written(tmp_path):
    ph = _photos(tmp_path/'photos')
    (ph/'bad.json').write_text(json.dumps([dict(image='p0.png', attribute='shape', prompts=['a glass cat'])]))
    r = run('bench', '--model', 'tiny', '--references', ph, '--manifest', ph/'bad.json', '--out', tmp_path/'b')
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and "needs one '{}'" in r.stderr
    assert not (tmp_path/'b').exists()

"The seed's full method and mask drawing from the CLI: toy and sd15-random runs, and bad masks refused."
import subprocess, sys
import numpy as np
import pytest
from PIL import Image
from conftest import run

def _parts(pipe, encoder, d, n=40):
    "Tiny filters and fusion maps for `pipe` with `encoder`, saved as files (the shipped ones are toy v2's)."
    from subattr.filters import filter_pairs, image_tokens, scene_labels, train_filter, save_filters
    from subattr.openworld import render
    from subattr.seedfull import fit_parts
    fl = {}
    for a in ('shape', 'appearance'):
        pa, pb = filter_pairs(a, 24, seed=3)
        ta, tb = (image_tokens(encoder, [render(s) for s in x]) for x in (pa, pb))
        fl[a] = train_filter(a, ta, tb, scene_labels(pa), steps=2, batch=8, dim=8, n_tokens=2)
    save_filters(fl, d/'filters.safetensors')
    fit_parts(pipe, encoder, fl, n=n, n_test=10, log=lambda m: None).save(d/'parts.safetensors')
    return d/'filters.safetensors', d/'parts.safetensors'

@pytest.fixture(scope='module')
def toy_parts(tmp_path_factory):
    from subattr.models import load_pipeline
    toy = load_pipeline('toy', progress=False)
    return _parts(toy, toy.image_encoder, tmp_path_factory.mktemp('toyparts'))

@pytest.fixture(scope='module')
def sd15_parts(tmp_path_factory):
    "sd15-random has no image encoder: a tiny random CLIP image tower stands in, saved as a folder."
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection
    from subattr.models import load_pipeline
    d = tmp_path_factory.mktemp('sd15parts')
    enc = CLIPVisionModelWithProjection(CLIPVisionConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                                                         num_attention_heads=2, image_size=32, patch_size=8,
                                                         projection_dim=16)).eval()
    enc.save_pretrained(d/'encoder')
    pipe = load_pipeline('sd15-random', width=0.125, progress=False)
    return (*_parts(pipe, enc, d, n=30), d/'encoder')

def test_seed_full_on_toy(toy_parts, ref, tmp_path):
    filters, parts = toy_parts
    r = run('train', '--model', 'toy', '--image', ref, '--attribute', 'shape', '--out', tmp_path/'c', '--method',
            'seed-full', '--filters', filters, '--parts', parts, '--steps', '2')
    assert r.returncode == 0, r.stderr
    assert (tmp_path/'c'/'subattr.json').exists() and (tmp_path/'c'/'seedfull.safetensors').exists()
    g = run('generate', '--model', 'toy', '--concept', tmp_path/'c', '--prompt', 'a red <s>', '--out', tmp_path/'x.png',
            '--steps', '3')
    assert g.returncode == 0, g.stderr
    assert Image.open(tmp_path/'x.png').size == (64, 64)

def test_seed_full_on_sd15_random(sd15_parts, ref, tmp_path):
    filters, parts, enc = sd15_parts
    r = run('train', '--model', 'sd15-random', '--width', '0.125', '--resolution', '64', '--image', ref, '--attribute',
            'appearance', '--out', tmp_path/'c', '--method', 'seed-full', '--filters', filters, '--parts', parts,
            '--image-encoder', enc, '--steps', '1', timeout=600)
    assert r.returncode == 0, r.stderr
    assert (tmp_path/'c'/'seedfull.safetensors').exists()

def _mask(path, size=64, fill=None):
    from subattr.seedfull import novel_masks
    a = (novel_masks(1, seed=5, size=size)[0].astype(np.uint8) * 255) if fill is None else np.full((size, size), fill,
                                                                                                  np.uint8)
    Image.fromarray(a).save(path); return path

def test_generate_mask_draws_in_the_mask(tmp_path):
    m = _mask(tmp_path/'m.png')
    r = run('generate', '--model', 'toy', '--prompt', 'a red {}', '--mask', m, '--out', tmp_path/'x.png', '--n', '2',
            '--steps', '6')
    assert r.returncode == 0, r.stderr
    assert Image.open(tmp_path/'x.png').size == (128, 64)

@pytest.mark.parametrize('fill, size, says', [(128, 64, 'not binary'), (0, 64, 'is empty'), (255, 64, 'is full')])
def test_bad_masks_are_refused_before_torch(tmp_path, fill, size, says):
    m = _mask(tmp_path/'m.png', size, fill)
    code = ("import sys; from subattr.cli import main; rc = main(sys.argv[1:]); "
            "print(rc, [m for m in ('torch', 'diffusers', 'transformers') if m in sys.modules])")
    r = subprocess.run([sys.executable, '-c', code, 'generate', '--model', 'toy', '--prompt', 'a red {}', '--mask',
                        str(m), '--out', str(tmp_path/'x.png')], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip().splitlines()[-1] == '1 []', (r.stdout, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1 and says in r.stderr, r.stderr
    assert not (tmp_path/'x.png').exists()

def test_mask_of_the_wrong_size_is_one_sentence(tmp_path):
    r = run('generate', '--model', 'toy', '--prompt', 'a red {}', '--mask', _mask(tmp_path/'m.png', 32),
            '--out', tmp_path/'x.png')
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and 'this model draws 64×64' in r.stderr

def test_readme_mask_example(tmp_path):
    from test_readme import readme_commands
    for args in readme_commands('subattr world render --novel shape --seed 3 --mask'):
        r = run(*args, '--threads', '1', cwd=tmp_path)
        assert r.returncode == 0, (args, r.stderr)
    from subattr.seedfull import mask_iou
    from subattr.similarity import NamedReader
    img = Image.open(tmp_path/'red-mask.png'); m = np.asarray(Image.open(tmp_path/'mask.png')) > 0
    assert mask_iou([img], m)[0] > .45   # a narrow seven-pointed star: its points are finer than a latent cell
    assert NamedReader().read(np.asarray(img.convert('RGB'))[None])[0]['color'] == 'red'   # the prompt's colour kept

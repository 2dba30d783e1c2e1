"`subattr train` / `subattr generate`: concepts end to end, signals, resume, NaN stop and every bad input the issue lists."
import json, os, signal, subprocess, sys, time
from pathlib import Path
import numpy as np, pytest
from PIL import Image
from safetensors.torch import load_file
from conftest import run, SUBATTR

@pytest.fixture(scope='module')
def concept(tmp_path_factory, ref):
    out = tmp_path_factory.mktemp('c')/'app'
    r = run('train', '--model', 'tiny', '--image', ref, '--attribute', 'appearance', '--lora-rank', '4', '--steps', '3', '--out', out, '--quiet')
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(out)
    return out

class Ran:
    "What `main` did in-process: the CLI's own code path, without a new interpreter per call."
    def __init__(self, code, out, err): self.returncode, self.stdout, self.stderr = code, out, err

@pytest.fixture
def call(capsys):
    from subattr.cli import main
    def f(*args):
        capsys.readouterr(); code = main([str(a) for a in args]); o = capsys.readouterr()
        return Ran(code, o.out, o.err)
    return f

def one_line_error(r, code=1):
    assert r.returncode == code, (r.returncode, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1 and 'Traceback' not in r.stderr, r.stderr
    return r.stderr

def test_concept_folder(concept):
    meta = json.loads((concept/'subattr.json').read_text())
    assert (meta['attribute'], meta['mode'], meta['token'], meta['selection']) == ('appearance', 'token+blocks', '<a>', 'seed-appearance')
    assert sorted(meta['files']) == ['lora', 'token', 'token_init'] and len(meta['loss']) == 3
    assert {'<a>'} == set(load_file(concept/'learned_embeds.safetensors'))

def test_generate(concept, tmp_path):
    out = tmp_path/'img.png'
    r = run('generate', '--model', 'tiny', '--concept', concept, '--prompt', 'a <a> circle', '--steps', '3', '--n', '2', '--out', out)
    assert r.returncode == 0, r.stderr
    assert Image.open(out).size == (128, 64)
    r2 = run('generate', '--model', 'tiny', '--concept', concept, '--prompt', 'a <a> circle', '--steps', '3', '--n', '2', '--out', tmp_path/'again.png')
    assert np.array_equal(np.asarray(Image.open(out)), np.asarray(Image.open(tmp_path/'again.png')))   # same seed, same pixels

def test_two_concepts(concept, ref, tmp_path):
    shape = tmp_path/'shape'
    assert run('train', '--model', 'tiny', '--image', ref, '--attribute', 'shape', '--steps', '2', '--out', shape, '--quiet').returncode == 0
    r = run('generate', '--model', 'tiny', '--concept', shape, '--scale', '0.5', '--concept', concept, '--scale', '1',
            '--prompt', 'a <a> <s>', '--steps', '3', '--out', tmp_path/'both.png')
    assert r.returncode == 0, r.stderr

def test_bad_inputs(concept, ref, tmp_path, call):
    (tmp_path/'notes.txt').write_text('not an image')
    Image.new('RGB', (40, 40)).save(tmp_path/'small.png')
    base = ['train', '--model', 'tiny', '--attribute', 'shape', '--steps', '2', '--quiet']
    assert 'does not exist' in one_line_error(call(*base, '--image', tmp_path/'none.png', '--out', tmp_path/'o1'))
    one_line_error(call(*base, '--image', tmp_path/'notes.txt', '--out', tmp_path/'o2'))
    assert '64' in one_line_error(call(*base, '--image', tmp_path/'small.png', '--out', tmp_path/'o3'))
    assert 'up_blokcs' in one_line_error(call(*base, '--image', ref, '--select', 'up_blokcs.1', '--out', tmp_path/'o4'))
    assert not any((tmp_path/f'o{i}').exists() for i in range(1, 5))
    # an output folder holding another run, or other files: refused, untouched
    before = {p: p.read_bytes() for p in concept.rglob('*') if p.is_file()}
    assert 'already holds a run' in one_line_error(call(*base, '--image', ref, '--out', concept))
    assert 'holds a different run' in one_line_error(call(*base, '--image', ref, '--out', concept, '--resume'))
    assert before == {p: p.read_bytes() for p in concept.rglob('*') if p.is_file()}
    (tmp_path/'mine').mkdir(); (tmp_path/'mine'/'thesis.tex').write_text('precious')
    assert 'other files' in one_line_error(call(*base, '--image', ref, '--out', tmp_path/'mine'))
    assert (tmp_path/'mine'/'thesis.tex').read_text() == 'precious' and len(list((tmp_path/'mine').iterdir())) == 1
    # generation
    g = ['generate', '--model', 'tiny', '--steps', '2', '--out', tmp_path/'g.png']
    assert "put its word '<a>'" in one_line_error(call(*g, '--concept', concept, '--prompt', 'a red circle'))
    (tmp_path/'half').mkdir(); (tmp_path/'half'/'run.json').write_text('{}')
    assert 'unfinished run' in one_line_error(call(*g, '--concept', tmp_path/'half', '--prompt', 'a <a>'))
    broken = tmp_path/'broken'; broken.mkdir()
    meta = json.loads((concept/'subattr.json').read_text()); (broken/'subattr.json').write_text(json.dumps(meta))
    assert 'incomplete' in one_line_error(call(*g, '--concept', broken, '--prompt', 'a <a>'))
    assert 'trained on a sd UNet' in one_line_error(call('generate', '--model', 'toy', '--steps', '2', '--out', tmp_path/'g.png',
                                                          '--concept', concept, '--prompt', 'a <a> circle'))
    Image.new('RGB', (8, 8)).save(tmp_path/'keep.png'); keep = (tmp_path/'keep.png').read_bytes()
    one_line_error(call('generate', '--model', 'tiny', '--out', tmp_path/'keep.png', '--concept', concept, '--prompt', 'a circle'))
    assert (tmp_path/'keep.png').read_bytes() == keep
    assert not (tmp_path/'g.png').exists()

def test_nan_stops(ref, tmp_path):
    out = tmp_path/'nan'
    r = run('train', '--model', 'tiny', '--image', ref, '--attribute', 'appearance', '--mode', 'blocks', '--lr-blocks', '1e20',
            '--steps', '40', '--checkpoint-every', '1', '--out', out, '--quiet')
    err = one_line_error(r)
    assert 'the loss became' in err and 'last good checkpoint' in err
    ck = sorted((out/'checkpoints').glob('step-*'))
    assert ck and (ck[-1]/'COMPLETE').exists() and not (out/'subattr.json').exists()
    assert all(np.isfinite(v.numpy()).all() for v in load_file(ck[-1]/'trainable.safetensors').values())

@pytest.mark.parametrize('sig,code', [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_saves_and_resume_is_exact(ref, tmp_path, sig, code):
    args = ['train', '--model', 'tiny', '--image', ref, '--attribute', 'appearance', '--steps', '80', '--checkpoint-every', '1000']
    p = subprocess.Popen([SUBATTR, *map(str, args), '--out', str(tmp_path/'cut')], stderr=subprocess.PIPE, text=True,
                         env={**os.environ, 'HF_HUB_OFFLINE': '1'})
    seen = ''
    while 'steps 0..80' not in seen and p.poll() is None:   # 'subattr train: ... steps 0..80' is printed as the loop starts
        seen += p.stderr.readline()
    assert 'steps 0..80' in seen, seen
    time.sleep(0.5); p.send_signal(sig)
    err = p.stderr.read(); p.wait(timeout=120)
    assert p.returncode == code, err
    last = err.strip().splitlines()[-1]   # the bar's lines, then one sentence
    assert 'checkpoint saved' in last and 'resume' in last and 'Traceback' not in err
    ck = sorted((tmp_path/'cut'/'checkpoints').glob('step-*'))
    assert len(ck) == 1 and (ck[0]/'COMPLETE').exists()
    stopped = int(ck[0].name.split('-')[1]); assert 0 < stopped < 80
    assert run(*args, '--out', tmp_path/'cut', '--resume', '--quiet').returncode == 0
    assert run(*args, '--out', tmp_path/'whole', '--quiet').returncode == 0
    a, b = load_file(tmp_path/'cut'/'deltas.safetensors'), load_file(tmp_path/'whole'/'deltas.safetensors')
    assert sorted(a) == sorted(b) and all(np.array_equal(a[k].numpy(), b[k].numpy()) for k in a)
    e1, e2 = load_file(tmp_path/'cut'/'learned_embeds.safetensors'), load_file(tmp_path/'whole'/'learned_embeds.safetensors')
    assert np.array_equal(e1['<a>'].numpy(), e2['<a>'].numpy())

PLAIN = '''
import sys, torch, numpy as np
from diffusers import StableDiffusionPipeline
pipe = StableDiffusionPipeline.from_pretrained(sys.argv[1], safety_checker=None)
pipe.load_textual_inversion(sys.argv[2]); pipe.load_lora_weights(sys.argv[2])
img = pipe('a <a> circle', num_inference_steps=10, generator=torch.Generator().manual_seed(0)).images[0]
assert not any(m.startswith('subattr') for m in sys.modules), 'subattr was imported'
img.save(sys.argv[3]); print('ok', pipe.tokenizer.convert_tokens_to_ids('<a>'))
'''

def test_plain_diffusers_loads_a_toy_concept(ref, tmp_path):
    from subattr.models import toy_path
    c = tmp_path/'toyc'
    r = run('train', '--model', 'toy', '--image', ref, '--attribute', 'appearance', '--lora-rank', '2', '--steps', '3', '--out', c, '--quiet')
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, '-c', PLAIN, str(toy_path()), str(c), str(tmp_path/'plain.png')], capture_output=True, text=True,
                       env={**os.environ, 'HF_HUB_OFFLINE': '1'}, timeout=300)
    assert r.returncode == 0 and r.stdout.startswith('ok'), r.stderr[-2000:]
    run('generate', '--model', 'toy', '--concept', c, '--prompt', 'a <a> circle', '--steps', '10', '--guidance', '7.5', '--out', tmp_path/'ours.png')
    a, b = (np.asarray(Image.open(tmp_path/f), dtype=float) for f in ('plain.png', 'ours.png'))
    assert np.abs(a - b).max() <= 1

def test_resume_extends_a_finished_run_to_more_steps(tmp_path, ref):
    "A finished run resumed with more steps ends where a run of that many steps from the start does; fewer steps are refused."
    import torch
    from safetensors.torch import load_file
    from subattr.core import SubattrError
    from subattr.train import train
    threads = torch.get_num_threads(); torch.set_num_threads(1)   # bitwise comparisons need one thread's summation order
    try:
        kw = dict(attribute='appearance', mode='token+blocks', select='up_blocks.1', lr_blocks=1e-3, progress=False)
        a = train('tiny', ref, tmp_path/'a', steps=6, **kw)
        train('tiny', ref, tmp_path/'b', steps=3, **kw)
        b = train('tiny', ref, tmp_path/'b', steps=6, resume=True, **kw)
    finally: torch.set_num_threads(threads)
    files = sorted(p.name for p in a.glob('*.safetensors'))
    assert files and files == sorted(p.name for p in b.glob('*.safetensors'))
    for f in files:
        x, y = load_file(str(a/f)), load_file(str(b/f))
        assert x.keys() == y.keys() and all(torch.equal(x[k], y[k]) for k in x), f
    assert json.loads((b/'run.json').read_text())['config']['steps'] == 6
    with pytest.raises(SubattrError, match='not fewer'): train('tiny', ref, tmp_path/'b', steps=2, resume=True, **kw)
    with pytest.raises(SubattrError, match='lr_blocks differ'): train('tiny', ref, tmp_path/'b', steps=8, resume=True, **{**kw, 'lr_blocks': 1e-2})

def test_train_on_a_pipeline_refuses_what_it_cannot_restore(ref, tmp_path):
    "A LoRA run on a pipeline that already holds adapters, or weights that are not float32, are refused before anything changes."
    import torch
    from subattr.core import SubattrError
    from subattr.models import load_pipeline
    from subattr.train import train
    p = load_pipeline('tiny', progress=False)
    c = train(p, ref, tmp_path/'a', attribute='appearance', mode='blocks', lora_rank=2, steps=1, progress=False)
    p.load_lora_weights(str(c))
    with pytest.raises(SubattrError, match='already has LoRA adapters'):
        train(p, ref, tmp_path/'b', attribute='appearance', mode='blocks', lora_rank=2, steps=1, progress=False)
    half = load_pipeline('tiny', progress=False).to(torch.bfloat16)
    with pytest.raises(SubattrError, match='load the pipeline in float32'):
        train(half, ref, tmp_path/'c', attribute='appearance', steps=1, progress=False)
    assert not (tmp_path/'b').exists() and not (tmp_path/'c').exists()

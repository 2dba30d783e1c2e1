"Issue 15: untrusted concept folders, non-finite values, crash safety, and what a new user hits first; a test per defect."
import errno, json, os, shutil, signal, stat, subprocess, sys, time
from pathlib import Path
import numpy as np, pytest, torch
from PIL import Image
from safetensors.torch import load_file, save_file
from conftest import run, SUBATTR

@pytest.fixture(scope='module')
def concepts(tmp_path_factory, ref):
    "A token + full-weight concept and a LoRA concept on `tiny`, trained for 2 steps."
    from subattr.train import train
    d = tmp_path_factory.mktemp('concepts')
    full = train('tiny', ref, d/'full', attribute='shape', mode='token+blocks', steps=2, progress=False, lr_blocks=1e-2)
    lora = train('tiny', ref, d/'lora', attribute='appearance', lora_rank=2, steps=2, progress=False)
    return full, lora

@pytest.fixture
def call(capsys):
    "Run `main` in-process; returns (exit code, stdout, stderr)."
    from subattr.cli import main
    def f(*args):
        capsys.readouterr(); code = main([str(a) for a in args]); o = capsys.readouterr()
        return code, o.out, o.err
    return f

def refused(res, *says):
    code, out, err = res
    assert code == 1 and len(err.strip().splitlines()) == 1, (code, err)
    assert 'Error:' not in err.split('error:', 1)[-1][:40] and 'SUBATTR_DEBUG' not in err, err   # a sentence, not the generic fallback
    for s in says: assert s in err, err
    return err

def copy(src, dst, **meta_changes):
    shutil.copytree(src, dst)
    m = json.loads((dst/'subattr.json').read_text()); m.update(meta_changes)
    (dst/'subattr.json').write_text(json.dumps(m))
    return dst

# --- security: a concept folder is untrusted input ----------------------------------------------------------------
def test_concept_files_stay_inside_the_folder(concepts, tmp_path):
    from subattr.generate import load_concept
    from subattr.core import SubattrError
    full, _ = concepts
    outside = tmp_path/'outside.safetensors'; shutil.copy(full/'deltas.safetensors', outside)
    files = json.loads((full/'subattr.json').read_text())['files']
    for i, bad in enumerate([str(outside), '../outside.safetensors', 'evil.bin', 'sub/deltas.safetensors', '.']):
        c = copy(full, tmp_path/f'c{i}', files={**files, 'deltas': bad})
        with pytest.raises(SubattrError, match='only .safetensors file names inside the folder'): load_concept(c)
    c = copy(full, tmp_path/'link', files={**files, 'deltas': 'link.safetensors'})
    (c/'link.safetensors').symlink_to(outside)   # a link that leads out of the folder
    with pytest.raises(SubattrError, match='inside the folder'): load_concept(c)
    c = copy(full, tmp_path/'kind', files={**files, 'script': 'x.safetensors'})
    with pytest.raises(SubattrError, match="unknown file kind 'script'"): load_concept(c)

def test_lora_bin_refused_from_the_cli(concepts, tmp_path, call):
    _, lora = concepts
    c = copy(lora, tmp_path/'evil', files={**json.loads((lora/'subattr.json').read_text())['files'], 'lora': 'evil.bin'})
    (c/'evil.bin').write_bytes(b'not a pickle, but never opened')
    refused(call('generate', '--model', 'tiny', '--concept', c, '--prompt', 'a <a>', '--out', tmp_path/'x.png'), "'evil.bin'", '.safetensors')
    assert not (tmp_path/'x.png').exists()

def test_pickle_model_folder_refused(tmp_path, call):
    from subattr.models import tiny_pipeline
    tiny_pipeline(0, progress=False).save_pretrained(tmp_path/'m', safe_serialization=False)
    err = refused(call('generate', '--model', tmp_path/'m', '--prompt', 'a circle', '--steps', '2', '--out', tmp_path/'x.png'),
                  'pickle', 'safe_serialization=True')
    assert not (tmp_path/'x.png').exists()

def test_delta_shape_and_name_checked(concepts, tmp_path):
    from subattr.generate import generate
    from subattr.models import load_pipeline
    from subattr.core import SubattrError
    full, _ = concepts
    pipe = load_pipeline('tiny', progress=False); before = {k: v.clone() for k, v in pipe.unet.state_dict().items()}
    d = load_file(full/'deltas.safetensors'); name = next(k for k in d if k.endswith('.bias'))
    for tag, sd, says in (('shape', {**d, name: torch.ones(1)}, 'shape [1]'), ('name', {**d, 'no.such.weight': torch.ones(3)}, "'no.such.weight'")):
        c = copy(full, tmp_path/tag); save_file(sd, c/'deltas.safetensors')
        with pytest.raises(SubattrError, match=says.replace('[', r'\[')): generate(pipe, 'a <s> sks', [c], steps=2)
    assert all(torch.equal(before[k], v) for k, v in pipe.unet.state_dict().items())   # refused before any change

# --- nothing non-finite comes out silently ------------------------------------------------------------------------
def test_non_finite_concepts_and_scales(concepts, tmp_path, call):
    full, _ = concepts
    e = load_file(full/'learned_embeds.safetensors'); e = {k: v.clone().fill_(float('nan')) for k, v in e.items()}
    c = copy(full, tmp_path/'nan-emb'); save_file(e, c/'learned_embeds.safetensors')
    refused(call('generate', '--model', 'tiny', '--concept', c, '--prompt', 'a <s>', '--out', tmp_path/'a.png'), 'NaN or infinite')
    d = load_file(full/'deltas.safetensors'); k = next(iter(d)); d[k] = d[k].clone(); d[k].view(-1)[0] = float('inf')
    c = copy(full, tmp_path/'inf-delta'); save_file(d, c/'deltas.safetensors')
    refused(call('generate', '--model', 'tiny', '--concept', c, '--prompt', 'a <s>', '--out', tmp_path/'b.png'), 'NaN or infinite')
    refused(call('generate', '--model', 'tiny', '--concept', full, '--scale', 'nan', '--prompt', 'a <s>', '--out', tmp_path/'c.png'), 'finite')
    assert not list(tmp_path.glob('*.png'))

def test_non_finite_image_never_written(monkeypatch):
    from subattr.generate import generate
    from subattr.models import load_pipeline
    from subattr.core import SubattrError
    pipe = load_pipeline('tiny', progress=False)
    h = pipe.vae.decoder.register_forward_hook(lambda m, i, o: o * float('nan'))
    try:
        with pytest.raises(SubattrError, match='NaN or infinite pixels'): generate(pipe, 'a circle', steps=2)
    finally: h.remove()

@pytest.mark.parametrize('args, says', [
    (['--steps', '0'], 'steps must be at least 1'), (['--steps', '-1'], 'steps must be at least 1'),
    (['--n', '0'], 'n (images) must be at least 1'), (['--n', '-1'], 'n (images) must be at least 1'),
    (['--guidance', 'nan'], 'guidance must be a finite number'), (['--seed', str(2**70)], 'seed must lie between')])
def test_generate_settings(args, says, tmp_path, call):
    refused(call('generate', '--model', 'tiny', '--prompt', 'a circle', '--out', tmp_path/'x.png', *args), says)
    assert not (tmp_path/'x.png').exists()

@pytest.mark.parametrize('args, says', [
    (['--lr-token', '-1'], 'lr-token must be a positive number'), (['--lr-blocks', 'nan'], 'lr-blocks must be a positive number'),
    (['--lora-rank', '4', '--lora-alpha', '0'], 'lora-alpha must be a positive number'),
    (['--lora-rank', '4', '--lora-alpha', '-2'], 'lora-alpha must be a positive number'),
    (['--checkpoint-every', '-1'], 'checkpoint-every must be at least 1'), (['--val-every', '-1'], 'val-every must be 0 or more'),
    (['--lora-rank', '100000'], 'lora-rank 100000 is over'), (['--lora-rank', '64'], 'not below the width'),
    (['--token', ''], 'one word'), (['--token', 'my token'], 'one word'), (['--token', '<{}>'], 'one word'),
    (['--seed', str(2**63)], 'seed must lie between'),
    (['--prompt', 'a ' * 80 + '{}'], 'over the text encoder'),
])
def test_train_settings(args, says, ref, tmp_path, call):
    refused(call('train', '--model', 'tiny', '--image', ref, '--attribute', 'shape', '--steps', '2', '--quiet', '--out', tmp_path/'o', *args), says)
    assert not (tmp_path/'o').exists()

def test_prompt_that_cuts_off_the_token(concepts, tmp_path, call):
    full, _ = concepts
    refused(call('generate', '--model', 'tiny', '--concept', full, '--prompt', 'a ' * 80 + '<s>', '--steps', '2', '--out', tmp_path/'x.png'),
            "the concept word '<s>' would be cut off")

# --- crash safety ---------------------------------------------------------------------------------------------------
def _ckpt(out, step):
    from subattr.train import save_checkpoint
    p = torch.nn.Parameter(torch.ones(2)); opt = torch.optim.AdamW([p]); opt.step()
    from diffusers.optimization import get_scheduler
    return save_checkpoint(out, step, {'x': p}, opt, get_scheduler('constant', opt), torch.Generator(), [[step, 1.]], keep=1)

def test_pruning_never_leaves_a_complete_looking_partial_checkpoint(tmp_path, monkeypatch):
    from subattr import train as T
    _ckpt(tmp_path, 1)
    real = shutil.rmtree
    def killed(p, *a, **k):   # a SIGKILL in the middle of deleting the old checkpoint: one file gone, the rest left
        p = Path(p); files = sorted(p.glob('*'))
        if files: files[0].unlink()
        raise KeyboardInterrupt
    monkeypatch.setattr(T.shutil, 'rmtree', killed)
    with pytest.raises(KeyboardInterrupt): _ckpt(tmp_path, 2)
    monkeypatch.setattr(T.shutil, 'rmtree', real)
    done = T.complete_checkpoints(tmp_path)
    assert [p.name for p in done] == ['step-0000002'] and all(T.load_checkpoint(p) for p in done)
    _ckpt(tmp_path, 3)   # the next save clears what the killed prune left
    assert sorted(p.name for p in (tmp_path/'checkpoints').iterdir()) == ['step-0000003']

def test_resume_falls_back_past_a_corrupt_checkpoint(ref, tmp_path):
    out = tmp_path/'run'
    r = run('train', '--model', 'tiny', '--image', ref, '--attribute', 'shape', '--steps', '3', '--checkpoint-every', '1', '--quiet', '--out', out)
    assert r.returncode == 0, r.stderr
    newest = sorted((out/'checkpoints').iterdir())[-1]
    (out/'subattr.json').unlink()
    (newest/'trainable.safetensors').write_bytes(b'\x01\x02garbage')   # "invalid header length" before
    r = run('train', '--model', 'tiny', '--image', ref, '--attribute', 'shape', '--steps', '3', '--checkpoint-every', '1', '--quiet', '--out', out, '--resume')
    assert r.returncode == 0, r.stderr
    assert str(newest/'trainable.safetensors') in r.stderr and 'Falling back' in r.stderr
    assert (out/'subattr.json').exists()

def test_damaged_probe_item_is_named_and_redone(tmp_path, capsys):
    from subattr.sweep import run_items, item_key
    items = [dict(a=1), dict(a=2)]
    run_items(items, lambda it: [dict(v=it['a'])], tmp_path, 'toy', progress=False)
    f = tmp_path/'items'/f'toy-{item_key(items[1])}.json'
    f.write_text(f.read_text()[:7])   # truncated
    capsys.readouterr()
    rows = run_items(items, lambda it: [dict(v=it['a'] * 10)], tmp_path, 'toy', progress=False)
    assert [r['v'] for r in rows] == [1, 20] and str(f) in capsys.readouterr().err

def test_fifo_image_refused_at_once(tmp_path):
    os.mkfifo(tmp_path/'pipe.png')
    t = time.time()
    r = run('train', '--model', 'tiny', '--image', tmp_path/'pipe.png', '--attribute', 'shape', '--out', tmp_path/'o', timeout=60)
    assert r.returncode == 1 and 'not a regular file' in r.stderr and time.time() - t < 30

def test_failed_run_keeps_the_users_empty_folder(ref, tmp_path, monkeypatch):
    from subattr.train import train
    def boom(step, loss, state): raise RuntimeError('the real error')
    mine = tmp_path/'mine'; mine.mkdir()
    with pytest.raises(RuntimeError, match='the real error'): train('tiny', ref, mine, steps=3, progress=False, callback=boom)
    assert mine.is_dir() and not any(mine.iterdir())
    here = tmp_path/'here'; here.mkdir(); monkeypatch.chdir(here)
    with pytest.raises(RuntimeError, match='the real error'): train('tiny', ref, '.', steps=3, progress=False, callback=boom)
    assert here.is_dir() and not any(here.iterdir())
    with pytest.raises(RuntimeError): train('tiny', ref, tmp_path/'new', steps=3, progress=False, callback=boom)
    assert not (tmp_path/'new').exists()   # a folder the run made itself is removed

def test_unwritable_and_full_disk_are_sentences(tmp_path, call, monkeypatch):
    refused(call('world', 'render', '--out', '/sys/x.png'), "no permission to write '/sys/x.png'")
    from PIL import Image as I
    def full(self, *a, **k): raise OSError(errno.ENOSPC, 'No space left on device', str(a[0]))
    monkeypatch.setattr(I.Image, 'save', full)
    refused(call('world', 'render', '--out', tmp_path/'x.png'), 'the disk is full', 'free some space')
    assert not list(tmp_path.iterdir())

# --- what a new user hits first --------------------------------------------------------------------------------------
def test_threads_option(tmp_path, call):
    from subattr.cli import default_threads
    assert 1 <= default_threads() <= os.cpu_count()
    code, out, err = call('world', 'render', '--out', tmp_path/'x.png', '--threads', '1')
    assert code == 0 and torch.get_num_threads() == 1
    assert 'at least 1' in call('world', 'render', '--out', tmp_path/'y.png', '--threads', '0')[2]

def test_group_help_lists_subcommands():
    for g, subs in (('probe', ('finetune', 'inject', 'layers', 'timesteps', 'linear')), ('world', ('render', 'read', 'eval', 'compare'))):
        r = run(g, '--help')
        assert r.returncode == 0 and all(f'{g} {s}' in r.stdout for s in subs), r
        assert run(g).returncode == 2

def test_options_are_described():
    import argparse
    from fastcore.script import anno_parser
    from subattr import cli
    for name in ('probe finetune', 'probe inject', 'probe layers', 'probe timesteps', 'probe linear', 'world render', 'world eval',
                 'world compare', 'train', 'generate'):
        p = anno_parser(cli.COMMANDS[name])
        bare = [a.dest for a in p._actions if a.dest not in ('help', 'pdb', 'xtra') and not (a.help or '').strip()]
        assert not bare, (name, bare)
    # argparse wraps at the terminal's width (COLUMNS), and at 80 columns it breaks 'five-pointed' at the hyphen
    h = run('world', 'render', '--help', env={**os.environ, 'HF_HUB_OFFLINE': '1', 'COLUMNS': '200'}).stdout
    assert 'five-pointed star' in h and 'orange' in h and 'striped' in h and 'closed' in h
    ev = {a.dest: a.help for a in anno_parser(cli.COMMANDS['world eval'])._actions}
    assert 'steps' in ev['steps'].lower() and 'guidance' in ev['guidance'].lower()

def test_world_read_tiles_or_refuses(tmp_path, call):
    from subattr.shapesworld import Thing, render
    tiles = [render(Thing(s, 'blue', 'plain')) for s in ('circle', 'square', 'star')]
    Image.fromarray(np.concatenate(tiles, 1)).save(tmp_path/'row.png')
    code, out, _ = call('world', 'read', tmp_path/'row.png', '--json', '--world', 'closed')
    assert code == 0 and [r['shape'] for r in json.loads(out)] == ['circle', 'square', 'star']
    Image.new('RGB', (100, 64)).save(tmp_path/'odd.png')
    refused(call('world', 'read', tmp_path/'odd.png'), 'neither square nor a row of square tiles')

def test_render_says_an_orange(tmp_path, call):
    code, out, _ = call('world', 'render', '--shape', 'square', '--color', 'orange', '--texture', 'plain', '--out', tmp_path/'o.png')
    assert code == 0 and 'an orange square' in out, out

def test_outputs_share_one_file_mode(tmp_path, call):
    from subattr.core import default_mode
    from subattr.readout import write_table
    call('world', 'render', '--out', tmp_path/'x.png')
    jp, cp = write_table([dict(a=1)], tmp_path/'t')
    assert {stat.S_IMODE(os.stat(p).st_mode) for p in (tmp_path/'x.png', jp, cp)} == {default_mode()}

def test_package_metadata():
    from importlib.metadata import metadata
    import configparser
    cfg = configparser.ConfigParser(delimiters=['=']); cfg.read(Path(__file__).parents[1]/'settings.ini')
    m = metadata('subattr')
    assert m['Version'] == cfg['DEFAULT']['version'] and m['Summary'] == cfg['DEFAULT']['description']

def test_attention_with_a_concept(concepts, tmp_path):
    from subattr.core import default_mode
    full, _ = concepts
    r = run('attention', '--model', 'tiny', '--concept', full, '--prompt', 'a <s> circle', '--steps', '3', '--out', tmp_path/'att')
    assert r.returncode == 0, r.stderr
    idx = json.loads((tmp_path/'att'/'index.json').read_text())
    assert idx['concepts'] == [str(full)] and stat.S_IMODE(os.stat(tmp_path/'att').st_mode) == default_mode(folder=True)
    r = run('attention', '--model', 'tiny', '--concept', full, '--prompt', 'a circle', '--steps', '3', '--out', tmp_path/'att2')
    assert r.returncode == 1 and "put its word '<s>'" in r.stderr and not (tmp_path/'att2').exists()

def test_verdict_needs_reconstruction():
    from subattr.report import verdict
    from subattr.readout import Rate
    R = lambda x: Rate(x, max(0, x - .05), min(1, x + .05), 40, 'wilson')
    part = lambda rec, s, c, t: dict(reconstruction=R(rec), shape_from_reference=R(s), color_from_reference=R(c), texture_from_reference=R(t))
    nothing = {'seed-shape | blocks': part(0., 0., 0., 0.), 'seed-appearance | blocks': part(0., 0., 0., 0.)}
    assert verdict(nothing).startswith('**Inconclusive')
    yes = {'seed-shape | blocks': part(.9, .8, .1, .1), 'seed-appearance | blocks': part(.9, .1, .7, .6)}
    assert verdict(yes).startswith('**Supported') and 'colour' in verdict(yes) and 'texture' in verdict(yes)

def test_probe_references_are_novel_in_turn():
    from subattr.probe import probe_references, novel_attribute
    for n in (3, 4, 6):
        refs = probe_references(n)
        assert len(set(refs)) == n and [novel_attribute(r) for r in refs] == (['shape', 'color', 'texture'] * 2)[:n]

def test_every_probe_sweep_takes_width():
    "--width reaches the sweep: the work items of a narrowed *-random model carry it (and full-width items keep their old keys)."
    from fastcore.script import anno_parser
    from subattr import cli, probe
    for name in ('probe finetune', 'probe inject', 'probe layers', 'probe timesteps', 'probe linear'):
        assert 'width' in {a.dest for a in anno_parser(cli.COMMANDS[name])._actions}, name
    assert probe._width(1.) == {} and probe._width(.125) == {'width': .125}
    from subattr.models import random_configs
    p = probe._load('sd15-random', 1/16)
    assert list(p.unet.config.block_out_channels) == random_configs('sd15', 1/16)['unet']['block_out_channels'] != [320, 640, 1280, 1280]

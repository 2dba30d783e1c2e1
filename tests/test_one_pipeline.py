"One loaded pipeline flows through training and the probes: loads are counted, and a shared pipeline gives the results of fresh ones."
import torch, pytest
import subattr.models as M
from subattr import probe

@pytest.fixture
def loads(monkeypatch):
    "The sources `load_pipeline` builds or reads in this process, in order."
    calls, real = [], M._load_pipeline
    def counting(source, *a, **k): calls.append(str(source)); return real(source, *a, **k)
    monkeypatch.setattr(M, '_load_pipeline', counting)
    return calls

SMALL = dict(modes=('blocks',), seeds=(0,), steps=3, prompts=1, images=1, gen_steps=3, progress=False)

def _reading(rows): return [(r['item'], r['prompt'], r['shape'], r['color'], r['texture']) for r in rows]

def test_finetune_probe_loads_once_and_matches_fresh_pipelines(tmp_path, loads):
    refs = probe.probe_references(1)
    sels = ['up_blocks.1', 'down_blocks.1', 'mid_block']
    rows = probe.finetune_probe('toy', tmp_path/'shared', sels, references=refs, **SMALL)
    assert loads == ['toy'], loads
    # the same items, each on a pipeline loaded for it alone (how the probe worked before)
    oracle, again, order = probe.probe_oracle('toy'), [], list(dict.fromkeys(r['item'] for r in rows))
    first = {r['item']: r for r in reversed(rows)}
    for key in order:
        it = {k: first[key][k] for k in ('selection', 'mode')}
        p = M.load_pipeline('toy', progress=False)
        again += probe.finetune_item(dict(model='toy', readout='oracle', ref=_ref_dict(refs[0]), seed=0, steps=3, lr=5e-4, lr_token=5e-3,
                                          prompts=1, images=1, gen_steps=3, guidance=4., **it), 'toy', oracle, p)
    assert [x[1:] for x in _reading(rows)] == [(r['prompt'], r['shape'], r['color'], r['texture']) for r in again]

def _ref_dict(t):
    from dataclasses import asdict
    return asdict(t)

def test_every_probe_command_loads_sd15_once(tmp_path, loads):
    kw = dict(width=1/16, progress=False)
    probe.linear_probe('sd15-random', tmp_path/'lin', n_train=8, n_test=4, timesteps=(500,), blocks=['mid_block'], batch=4, **kw)
    assert loads == ['sd15-random']

def test_demo_loads_its_model_once(tmp_path, loads):
    from subattr.report import demo
    demo(tmp_path/'demo', references=1, steps=2, images=1, gen_steps=3, n_train=16, n_test=8, timesteps=(500,), model='toy', progress=False)
    assert loads == ['toy'], loads

def test_finetune_probe_on_sd15_loads_once(tmp_path, loads):
    probe.finetune_probe('sd15-random', tmp_path/'ft', ['mid_block'], references=probe.probe_references(1), readout='metrics',
                         width=1/16, **{**SMALL, 'steps': 1, 'gen_steps': 2})
    assert loads == ['sd15-random'], loads

"The gather/unpack round trips of benchmarks/bench_results.py: a gathered file puts a bench or probe folder back."
import gzip, json, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT/'benchmarks'/'bench_results.py'

def _run(*a): return subprocess.run([sys.executable, str(SCRIPT), *map(str, a)], capture_output=True, text=True)

def _item(d, key, n):
    rows = [dict(probe='bench', item=key, method='m', task='shape', ref=n, novel='shape', seed=0, prompt=f'p{p}',
                 image=j, target=bool(j), leak=False) for p in range(2) for j in range(2)]
    (d/'items').mkdir(parents=True, exist_ok=True)
    (d/'items'/f'bench-{key}.json').write_text(json.dumps(dict(item=dict(ref=n), rows=rows, process=0)))

def test_gather_unpack_round_trip(tmp_path):
    a = tmp_path/'a'; _item(a, 'aaaaaaaaaaaa', 0); _item(a, 'bbbbbbbbbbbb', 1)
    (a/'items'/'bench-cccccccccccc.json').write_text('{"rows": [')   # damaged: not finished, left out
    f = tmp_path/'r.json.gz'
    r = _run(a, f, 'cmd'); assert r.returncode == 0, r.stderr
    got = json.load(gzip.open(f, 'rt')); assert got['items'] == 2 and len(got['rows']) == 8 and got['command'] == 'cmd'
    b = tmp_path/'b'; _item(b, 'aaaaaaaaaaaa', 5)   # an item already there is left as it is
    r = _run('--unpack', f, b); assert r.returncode == 0, r.stderr
    assert '1 written' in r.stdout, r.stdout
    kept = json.loads((b/'items'/'bench-aaaaaaaaaaaa.json').read_text())['rows']
    assert {x['ref'] for x in kept} == {5}
    back = json.loads((b/'items'/'bench-bbbbbbbbbbbb.json').read_text())['rows']
    assert sorted((x['prompt'], x['image']) for x in back) == [(p, j) for p in ('p0', 'p1') for j in (0, 1)]
    assert all(x['probe'] == 'bench' and x['ref'] == 1 for x in back)
    r2 = _run(b, tmp_path/'r2.json.gz', 'cmd'); assert r2.returncode == 0   # the unpacked folder gathers again
    assert json.load(gzip.open(tmp_path/'r2.json.gz', 'rt'))['items'] == 2

def test_bad_inputs(tmp_path):
    r = _run('--unpack', tmp_path/'none.json.gz', tmp_path/'b')
    assert r.returncode != 0 and 'is not a file' in r.stderr and not (tmp_path/'b').exists()
    (tmp_path/'x.json.gz').write_text('not gzip')
    r = _run('--unpack', tmp_path/'x.json.gz', tmp_path/'b')
    assert r.returncode != 0 and 'is not a gathered bench file' in r.stderr and not (tmp_path/'b').exists()
    r = _run(tmp_path, tmp_path/'o.json.gz', 'cmd')
    assert r.returncode != 0 and 'holds no finished bench items' in r.stderr
    r = _run('only-one-arg'); assert r.returncode != 0

def test_probe_round_trip(tmp_path):
    a = tmp_path/'a'; (a/'items').mkdir(parents=True)
    for k in ('111111111111', '222222222222'):
        rows = [dict(probe='finetune', item=k, selection='mid', kind='reconstruction', image=j) for j in range(2)]
        (a/'items'/f'finetune-{k}.json').write_text(json.dumps(dict(item={}, rows=rows, process=0)))
    f = tmp_path/'p.json.gz'
    r = _run('--probe', 'finetune', a, f, 'cmd'); assert r.returncode == 0, r.stderr
    got = json.load(gzip.open(f, 'rt')); assert got['probe'] == 'finetune' and got['items'] == 2
    assert all(x['probe'] == 'finetune' for x in got['rows']) and len(got['rows']) == 4
    r = _run('--probe', 'linear', a, tmp_path/'l.json.gz', 'cmd')   # no linear items in that folder
    assert r.returncode != 0 and 'holds no finished linear items' in r.stderr
    r = _run('--unpack', f, tmp_path/'b'); assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path/'b'/'items').iterdir()) == ['finetune-111111111111.json',
                                                                       'finetune-222222222222.json']

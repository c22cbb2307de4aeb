# PyTorch reference of the single-query quickstart (associativeRecall with queries = 1, pool(last); the
# quickstart now uses multi-query recall): same architecture, init, AdamW with decay on rank >= 2,
# warmup + cosine schedule, same data distribution; not the same random draws:
#   /usr/bin/python3 interpreter/src/test/python/recall_reference.py --steps 600 --lr 3e-3
import argparse, math, time, torch, torch.nn as nn, torch.nn.functional as F
p = argparse.ArgumentParser()
p.add_argument('--vocab', type=int, default=32); p.add_argument('--pairs', type=int, default=8)
p.add_argument('--d', type=int, default=64); p.add_argument('--heads', type=int, default=4)
p.add_argument('--layers', type=int, default=2); p.add_argument('--lr', type=float, default=3e-3)
p.add_argument('--steps', type=int, default=600); p.add_argument('--batch', type=int, default=64)
p.add_argument('--warmup', type=int, default=50); p.add_argument('--wd', type=float, default=0.01)
p.add_argument('--examples', type=int, default=20000); p.add_argument('--seed', type=int, default=1)
p.add_argument('--eps', type=float, default=1e-8); p.add_argument('--every', type=int, default=50)
p.add_argument('--embstd', type=float, default=0.02)
p.add_argument('--pos', default='learned'); p.add_argument('--mlp', type=int, default=1); p.add_argument('--sched', default='cos'); p.add_argument('--hidden', type=int, default=4)
a = p.parse_args()
torch.set_num_threads(2); torch.manual_seed(a.seed)

def gen(n, g):
    half = a.vocab // 2; L = 2 * a.pairs + 1
    keys = torch.argsort(torch.rand(n, half, generator=g), dim=1)[:, :a.pairs]
    vals = torch.randint(half, a.vocab, (n, a.pairs), generator=g)
    toks = torch.empty(n, L, dtype=torch.long)
    toks[:, 0:2 * a.pairs:2] = keys; toks[:, 1:2 * a.pairs:2] = vals
    q = torch.randint(0, a.pairs, (n,), generator=g)
    toks[:, -1] = keys[torch.arange(n), q]
    return toks, vals[torch.arange(n), q]
Xtr, Ytr = gen(a.examples, torch.Generator().manual_seed(7))
Xte, Yte = gen(2000, torch.Generator().manual_seed(8))
T = Xtr.shape[1]

def glorot(i, o):
    w = nn.Parameter(torch.empty(i, o)); lim = math.sqrt(6 / (i + o)); nn.init.uniform_(w, -lim, lim); return w
class Proj(nn.Module):
    def __init__(s, i, o): super().__init__(); s.W = glorot(i, o); s.b = nn.Parameter(torch.zeros(o))
    def forward(s, x): return x @ s.W + s.b
class Block(nn.Module):
    def __init__(s, d, h):
        super().__init__(); s.ln1 = nn.LayerNorm(d); s.ln2 = nn.LayerNorm(d); s.h = h
        s.qkv = Proj(d, 3 * d); s.o = Proj(d, d); s.w1 = Proj(d, a.hidden * d); s.w2 = Proj(a.hidden * d, d)
    def forward(s, x):
        B, T, d = x.shape; h = s.h; dh = d // h
        qkv = s.qkv(s.ln1(x)).view(B, T, 3, h, dh).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] / math.sqrt(dh), qkv[1], qkv[2]
        sc = q @ k.transpose(-1, -2) + torch.triu(torch.full((T, T), -1e9), 1)
        x = x + s.o((sc.softmax(-1) @ v).permute(0, 2, 1, 3).reshape(B, T, d))
        if not a.mlp: return x
        return x + s.w2(F.gelu(s.w1(s.ln2(x)), approximate='none'))
class Net(nn.Module):
    def __init__(s):
        super().__init__()
        s.tok = nn.Parameter(torch.randn(a.vocab, a.d) * a.embstd)
        if a.pos == 'learned': s.pos = nn.Parameter(torch.randn(T, a.d) * a.embstd)
        else:
            P = torch.zeros(T, a.d)
            for t in range(T):
                for c in range(a.d):
                    ang = t / 10000 ** ((c - c % 2) / a.d); P[t, c] = math.sin(ang) if c % 2 == 0 else math.cos(ang)
            s.register_buffer('pos', P)
        s.blocks = nn.ModuleList([Block(a.d, a.heads) for _ in range(a.layers)]); s.lnf = nn.LayerNorm(a.d); s.out = Proj(a.d, a.vocab)
    def forward(s, x):
        z = s.tok[x] + s.pos
        for b in s.blocks: z = b(z)
        return s.out(s.lnf(z)[:, -1])
m = Net()
decay = [p for p in m.parameters() if p.dim() >= 2]; nodecay = [p for p in m.parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{'params': decay, 'weight_decay': a.wd}, {'params': nodecay, 'weight_decay': 0}], lr=a.lr, eps=a.eps)
def lr_at(i):
    if i < a.warmup: return a.lr * (i + 1) / a.warmup
    if a.sched == 'const': return a.lr
    p_ = min(1, max(0, (i - a.warmup) / max(1, a.steps - a.warmup))); return a.lr * 0.5 * (1 + math.cos(math.pi * p_))
def acc():
    with torch.no_grad(): return (m(Xte).argmax(-1) == Yte).float().mean().item()
t0 = time.time(); g = torch.Generator().manual_seed(a.seed); perm = torch.randperm(a.examples, generator=g); pos = 0; run = 0
for i in range(a.steps):
    if pos + a.batch > a.examples: perm = torch.randperm(a.examples, generator=g); pos = 0
    idx = perm[pos:pos + a.batch]; pos += a.batch
    for gr in opt.param_groups: gr['lr'] = lr_at(i)
    loss = F.cross_entropy(m(Xtr[idx]), Ytr[idx]); opt.zero_grad(); loss.backward(); opt.step()
    run = loss.item() if i == 0 else 0.9 * run + 0.1 * loss.item()
    if (i + 1) % a.every == 0: print(f'step {i+1} loss(ema) {run:.4f} test acc {acc():.4f}  {time.time()-t0:.1f}s', flush=True)
print(f'final test acc {acc():.4f} time {time.time()-t0:.1f}s')

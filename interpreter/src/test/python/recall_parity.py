# Checks Eff's quickstart model against PyTorch on identical weights and data (needs Debian's python3-torch):
#   interpreter/bench.sh RecallParity scripts/quickstart.eff /tmp/eff_dump.txt 5
#   /usr/bin/python3 interpreter/src/test/python/recall_parity.py /tmp/eff_dump.txt 5
# Prints the loss of both, each parameter's gradient error, and the error of the parameter change after N
# AdamW steps (schedule of the quickstart as written: lr 3e-3, warmup 50, weight decay 0.01 on rank >= 2).
import math, torch, torch.nn.functional as F, sys
torch.set_num_threads(2); torch.set_default_dtype(torch.float64)
D = {}
for line in open(sys.argv[1]):
    tag, shape, vals = line.rstrip('\n').split('\t')
    shape = [int(s) for s in shape.strip('[]').split(',') if s.strip()]
    D[tag] = torch.tensor([float(v) for v in vals.strip('[]').split(',')]).reshape(shape)
X, Y = D['X'].long(), D['Y'].long()
P = {k[2:]: v.clone().requires_grad_(True) for k, v in D.items() if k.startswith('P ')}
def ln(x, pre): return F.layer_norm(x, x.shape[-1:], P[pre + '/g'], P[pre + '/b'], 1e-5)
def fwd():
    B, T = X.shape; d, h = 64, 4; dh = d // h
    z = P['embed/tokens'][X] + P['embed/positions']
    for b in ('block1', 'block2'):
        a = f'{b}/residual/attention'
        qkv = (ln(z, f'{b}/residual/layerNorm') @ P[a + '/Wqkv'] + P[a + '/bqkv']).view(B, T, 3, h, dh).permute(2, 0, 3, 1, 4)
        sc = qkv[0] / math.sqrt(dh) @ qkv[1].transpose(-1, -2) + torch.triu(torch.full((T, T), -1e9), 1)
        z = z + (sc.softmax(-1) @ qkv[2]).permute(0, 2, 1, 3).reshape(B, T, d) @ P[a + '/Wo'] + P[a + '/bo']
        m = f'{b}/residual2/mlp'
        z = z + F.gelu(ln(z, f'{b}/residual2/layerNorm') @ P[m + '/W1'] + P[m + '/b1']) @ P[m + '/W2'] + P[m + '/b2']
    z = ln(z, 'layerNorm')
    return (z if Y.dim() == 2 else z[:, -1]) @ P['logits/W'] + P['logits/b']
# Multi-query labels are [B, T] with -1 at unlabelled positions (single query: [B] and pool(last)).
def ce(logits): return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), Y.reshape(-1), ignore_index=-1)
loss = ce(fwd()); loss.backward()
print('loss torch %.6f eff %.6f' % (loss.item(), D['L'].item()))
worst = 0
for k, p in P.items():
    ge = D['G ' + k]; rel = (p.grad - ge).norm() / p.grad.norm().clamp_min(1e-30); worst = max(worst, rel.item())
    print(f'{k:42s} |g| {p.grad.norm():.3e} rel.err {rel:.2e}')
print('worst grad rel err', worst)
# 5 AdamW steps, schedule: warmup 50, cosine over 5 steps, lr 3e-3, wd 0.01 on rank>=2
Q = {k: D['P ' + k].clone().requires_grad_(True) for k in P}; P.update(Q)
opt = torch.optim.AdamW([{'params': [p for p in P.values() if p.dim() >= 2], 'weight_decay': 0.01},
                         {'params': [p for p in P.values() if p.dim() < 2], 'weight_decay': 0}], lr=3e-3, eps=1e-8)
for i in range(int(sys.argv[2])):
    for g in opt.param_groups: g['lr'] = 3e-3 * (i + 1) / 50
    opt.zero_grad(); ce(fwd()).backward(); opt.step()
worst = 0
for k, p in P.items():
    de = D['Q ' + k] - D['P ' + k]; dt = p.detach() - D['P ' + k]
    rel = (dt - de).norm() / dt.norm().clamp_min(1e-30); worst = max(worst, rel.item())
print('after steps: worst relative error of the parameter change', worst)

#!/usr/bin/python3
"""Eff against hand-written SameDiff and PyTorch on the same CPU: the same models, timed alternately.

One long-lived Java process (interpreter's PeerServer, started through interpreter/bench.sh) runs Eff's Trainer and
the hand-written SameDiff models; this process runs the PyTorch peers. Each repetition runs every program for
--steps timed steps after --warmup untimed ones, in an order that rotates from one repetition to the next. The
table gives per model the median over repetitions of each repetition's median ms per step, the minimum and maximum
single step, the ratios Eff/PyTorch and Eff/hand, and MFU: the model's FLOPs per step (Eff's cost model: forward
FLOPs per example x batch, x 3 for a train step) over the machine's float GEMM peak (the higher of ND4J's and
PyTorch's best 1024^2 / 2048^2 product).

    /usr/bin/python3 bench/peers/peers.py                      # every model, 5 repetitions
    /usr/bin/python3 bench/peers/peers.py --models char4,moe --reps 3 --json peers.json
    /usr/bin/python3 bench/peers/peers.py --verify             # same initial weights, same batches: same losses?

See bench/peers/README.md.
"""
import argparse
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch loads OpenMP; the Java process inherits it

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = ["char4", "block512", "block128", "infer4", "quickstart", "moe"]
# Timed steps per run when --steps is not given: about the same wall time per model.
DEFAULT_STEPS = {"char4": 5, "block512": 3, "block128": 10, "infer4": 30, "quickstart": 30, "moe": 10}
MASKED = -1e9  # Eff's additive causal mask (SoftmaxAttention.MASKED)


# ---------------------------------------------------------------------------------------------------------------
# The Java side


class JavaPeer:
    """PeerServer over pipes: one command line out, one reply line back."""

    def __init__(self, log_path):
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen([os.path.join(ROOT, "interpreter", "bench.sh"), "PeerServer"], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True, bufsize=1)
        self.log_path = log_path

    def ask(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline()
        if not reply:
            raise SystemExit(f"peers: the Java process ended (command '{command}'); its log: {self.log_path}")
        reply = reply.rstrip("\n")
        if reply.startswith("error "):
            raise SystemExit(f"peers: '{command}' failed in Java: {reply[6:]}")
        return reply

    def close(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
            self.proc.wait(timeout=60)
        finally:
            self.log.close()


def parse_description(reply):
    """`model k=v k=v ...` into a dict of ints, floats, booleans and strings."""
    assert reply.startswith("model "), reply
    out = {}
    for field in reply[6:].split():
        key, value = field.split("=", 1)
        if value in ("true", "false"):
            out[key] = value == "true"
        else:
            try:
                out[key] = int(value)
            except ValueError:
                try:
                    out[key] = float(value)
                except ValueError:
                    out[key] = value
    return out


def numbers(reply, head):
    assert reply.startswith(head + " "), reply
    return [float(x) for x in reply[len(head) + 1:].split()]


# ---------------------------------------------------------------------------------------------------------------
# The PyTorch peers: Eff's math (stdlib/src/main/java/dev/eff/stdlib/layers/), written as a PyTorch user would.


def expert_slots(k, group, experts):
    """Expert choice capacity: ceil(k*S/E) between 1 and S (ExpertChoiceRouter.slots)."""
    return int(max(1, min(group, math.ceil(k * group / experts - 1e-9))))


class Attention(nn.Module):
    """Fused q/k/v projection, per head softmax(q/sqrt(dh) . k^T + M) . v with M = -1e9 above the diagonal, output projection."""

    def __init__(self, d, heads, seq, causal):
        super().__init__()
        self.heads, self.dh = heads, d // heads
        self.qkv, self.out = nn.Linear(d, 3 * d), nn.Linear(d, d)
        mask = torch.triu(torch.full((seq, seq), MASKED), diagonal=1) if causal else None
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, self.dh).permute(2, 0, 3, 1, 4)
        scores = (q * (1 / math.sqrt(self.dh))) @ k.transpose(-1, -2)
        if self.mask is not None:
            scores = scores + self.mask
        y = (torch.softmax(scores, -1) @ v).transpose(1, 2).reshape(b, t, d)
        return self.out(y)


class Mlp(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(d, hidden), nn.Linear(hidden, d)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x))), None  # exact (erf) GELU, torch's default


class ExpertChoiceMoe(nn.Module):
    """Router softmax over E experts per token; each expert takes the C tokens of its sequence it scores highest;
    a token's output is the sum over the experts that took it of gate x expert(token), gate = its router probability.
    Expert biases are [E, 1, width] as in Eff (so AdamW decays them: Eff decays every parameter of rank >= 2)."""

    def __init__(self, d, experts, hidden, k, seq):
        super().__init__()
        self.experts, self.capacity = experts, expert_slots(k, seq, experts)
        self.router = nn.Linear(d, experts, bias=False)
        self.w1 = nn.Parameter(torch.empty(experts, d, hidden))
        self.b1 = nn.Parameter(torch.zeros(experts, 1, hidden))
        self.w2 = nn.Parameter(torch.empty(experts, hidden, d))
        self.b2 = nn.Parameter(torch.zeros(experts, 1, d))
        for w in (self.w1, self.w2):
            fan_in, fan_out = w.shape[1], w.shape[2]
            nn.init.uniform_(w, -math.sqrt(6 / (fan_in + fan_out)), math.sqrt(6 / (fan_in + fan_out)))

    def forward(self, x):
        g, s, d = x.shape
        e, c = self.experts, self.capacity
        logits = self.router(x)                                          # [G, S, E]
        probs = torch.softmax(logits, -1).transpose(1, 2)                # [G, E, S]
        top = probs.topk(c, dim=-1).indices                              # [G, E, C]: each expert's tokens
        gate = probs.gather(2, top).reshape(g, e * c, 1)
        index = top.reshape(g, e * c, 1).expand(g, e * c, d)
        tokens = x.gather(1, index).view(g, e, c, d).transpose(0, 1).reshape(e, g * c, d)
        y = torch.baddbmm(self.b2, F.gelu(torch.baddbmm(self.b1, tokens, self.w1)), self.w2)
        y = y.view(e, g, c, d).transpose(0, 1).reshape(g, e * c, d) * gate
        out = torch.zeros_like(x).scatter_add(1, index, y)
        lse = torch.logsumexp(logits, -1)
        return out, (lse * lse).mean()                                   # router z-loss


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["d"]
        self.ln1, self.ln2 = nn.LayerNorm(d, eps=cfg["eps"]), nn.LayerNorm(d, eps=cfg["eps"])
        self.attn = Attention(d, cfg["heads"], cfg["seq"], cfg["causal"])
        self.ffn = (ExpertChoiceMoe(d, cfg["experts"], cfg["expertHidden"], cfg["k"], cfg["seq"]) if cfg["experts"]
                    else Mlp(d, cfg["hidden"]))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        y, zloss = self.ffn(self.ln2(x))
        return x + y, zloss


class Transformer(nn.Module):
    """Token and learned position embeddings, pre-norm blocks, final layer norm, logits with bias."""

    def __init__(self, cfg):
        super().__init__()
        d = cfg["d"]
        self.tokens = nn.Parameter(torch.randn(cfg["vocab"], d) * 0.02)
        self.positions = nn.Parameter(torch.randn(cfg["seq"], d) * 0.02)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg["layers"]))
        self.ln = nn.LayerNorm(d, eps=cfg["eps"])
        self.head = nn.Linear(d, cfg["classes"])
        self.zloss_weight = cfg["zloss"]
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)  # Eff's Glorot uniform
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def logits(self, ids):
        x = F.embedding(ids, self.tokens) + self.positions
        zloss = 0.0
        for block in self.blocks:
            x, z = block(x)
            if z is not None:
                zloss = zloss + z
        return self.head(self.ln(x)), zloss

    def loss(self, ids, labels):
        """Cross-entropy averaged over the labelled positions (labels < 0 are none), plus w x the z-losses summed over layers."""
        logits, zloss = self.logits(ids)
        labels = labels.reshape(-1)
        labelled = (labels >= 0).to(logits.dtype)
        per_row = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.clamp(min=0), reduction="none")
        ce = (per_row * labelled).sum() / labelled.sum().clamp(min=1)
        return ce + self.zloss_weight * zloss if self.zloss_weight else ce


class EffAdamW:
    """torch.optim.AdamW set to Eff's AdamW: the schedule's rate each step (linear warmup from lr/warmup, then constant,
    linear or cosine decay to minLr*lr at the last step), decay on parameters of rank >= 2 only, and ND4J's epsilon,
    added to the uncorrected sqrt(v): the same as torch's eps / sqrt(1 - beta2^t) added to the corrected one."""

    def __init__(self, model, cfg, total_steps):
        self.cfg, self.total, self.step_index = cfg, total_steps, 0
        decay = [p for p in model.parameters() if p.dim() >= 2]
        plain = [p for p in model.parameters() if p.dim() < 2]
        self.opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg["opt.weightDecay"]},
                                      {"params": plain, "weight_decay": 0.0}],
                                     lr=cfg["opt.lr"], betas=(cfg["opt.beta1"], cfg["opt.beta2"]), eps=cfg["opt.eps"])
        self.params = decay + plain

    def rate(self, i):
        lr, warmup, total = self.cfg["opt.lr"], self.cfg["opt.warmup"], self.total
        if i < warmup:
            return lr * (i + 1) / warmup
        if self.cfg["opt.schedule"] == "constant":
            return lr
        p = min(1.0, max(0.0, (i - warmup) / max(1, total - warmup)))
        shape = 1 - p if self.cfg["opt.schedule"] == "linear" else 0.5 * (1 + math.cos(math.pi * p))
        return lr * (self.cfg["opt.minLr"] + (1 - self.cfg["opt.minLr"]) * shape)

    def step(self):
        if self.cfg["opt.clip"] > 0:
            torch.nn.utils.clip_grad_norm_(self.params, self.cfg["opt.clip"])
        t = self.step_index + 1
        for group in self.opt.param_groups:
            group["lr"] = self.rate(self.step_index)
            group["eps"] = self.cfg["opt.eps"] / math.sqrt(1 - self.cfg["opt.beta2"] ** t)
        self.opt.step()
        self.opt.zero_grad(set_to_none=True)
        self.step_index += 1


class TorchPeer:
    """One model in PyTorch with a fixed random batch of the model's shape (cost does not depend on the values)."""

    def __init__(self, cfg, total_steps):
        torch.manual_seed(1)
        self.cfg = cfg
        self.model = Transformer(cfg)
        self.optimizer = EffAdamW(self.model, cfg, total_steps)
        shape = (cfg["batch"], cfg["seq"])
        self.ids = torch.randint(0, cfg["vocab"], shape)
        self.labels = torch.randint(0, cfg["classes"], shape)

    def train_step(self, ids, labels):
        loss = self.model.loss(ids, labels)
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def run(self, steps, warmup):
        if self.cfg["kind"] == "infer":
            self.model.eval()
            with torch.no_grad():
                return timed(lambda: self.model.logits(self.ids), steps, warmup)
        self.model.train()
        return timed(lambda: self.train_step(self.ids, self.labels), steps, warmup)


def timed(work, steps, warmup):
    out = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        work()
        if i >= warmup:
            out.append((time.perf_counter() - start) * 1e3)
    return out


def java_gemm_peak(java):
    """The libnd4j build and ND4J's best GFLOP/s per operand order and size (c1024, f1024, c2048, f2048)."""
    fields = dict(f.split("=") for f in java.ask("peak").split()[1:])
    native = fields.pop("native")
    return native, {k: float(v) for k, v in fields.items()}


def torch_gemm_peak():
    """Best GFLOP/s of float n x n products, n = 1024 (10 tries) and 2048 (5)."""
    out = {}
    for n, tries in ((1024, 10), (2048, 5)):
        a, b, c = torch.rand(n, n), torch.rand(n, n), torch.empty(n, n)
        best = min(timed(lambda: torch.mm(a, b, out=c), 1, 0)[0] for _ in range(tries))
        out[f"{n}"] = 2 * n ** 3 / (best / 1e3) / 1e9
    return out


# ---------------------------------------------------------------------------------------------------------------
# Same weights, same batches: Eff's Trainer against the PyTorch peer


EFF_TO_TORCH = [  # Eff variable path -> (torch parameter, transpose)
    (r"embed/tokens", "tokens", False),
    (r"embed/positions", "positions", False),
    (r"block(\d+)/residual/layerNorm/g", "blocks.{}.ln1.weight", False),
    (r"block(\d+)/residual/layerNorm/b", "blocks.{}.ln1.bias", False),
    (r"block(\d+)/residual/attention/Wqkv", "blocks.{}.attn.qkv.weight", True),
    (r"block(\d+)/residual/attention/bqkv", "blocks.{}.attn.qkv.bias", False),
    (r"block(\d+)/residual/attention/Wo", "blocks.{}.attn.out.weight", True),
    (r"block(\d+)/residual/attention/bo", "blocks.{}.attn.out.bias", False),
    (r"block(\d+)/residual2/layerNorm/g", "blocks.{}.ln2.weight", False),
    (r"block(\d+)/residual2/layerNorm/b", "blocks.{}.ln2.bias", False),
    (r"block(\d+)/residual2/mlp/W1", "blocks.{}.ffn.fc1.weight", True),
    (r"block(\d+)/residual2/mlp/b1", "blocks.{}.ffn.fc1.bias", False),
    (r"block(\d+)/residual2/mlp/W2", "blocks.{}.ffn.fc2.weight", True),
    (r"block(\d+)/residual2/mlp/b2", "blocks.{}.ffn.fc2.bias", False),
    (r"block(\d+)/residual2/moe/router", "blocks.{}.ffn.router.weight", True),
    (r"block(\d+)/residual2/moe/(W1|b1|W2|b2)", "blocks.{}.ffn.{}", False),
    (r"layerNorm/g", "ln.weight", False),
    (r"layerNorm/b", "ln.bias", False),
    (r"logits/W", "head.weight", True),
    (r"logits/b", "head.bias", False),
]


def torch_name(eff):
    for pattern, target, transpose in EFF_TO_TORCH:
        m = re.fullmatch(pattern, eff)
        if m:
            groups = [str(int(g) - 1) if g.isdigit() else g.lower() for g in m.groups()]
            return target.format(*groups), transpose
    raise SystemExit(f"peers: no PyTorch parameter for Eff's variable '{eff}'")


def load_eff_weights(model, archive):
    params = dict(model.named_parameters())
    seen = set()
    for key in archive.files:
        if not key.startswith("p/"):
            continue
        name, transpose = torch_name(key[2:])
        value = torch.from_numpy(archive[key].astype(np.float32))
        value = value.t().contiguous() if transpose else value
        if params[name].shape != value.shape:
            raise SystemExit(f"peers: {key} is {tuple(value.shape)}, PyTorch's {name} {tuple(params[name].shape)}")
        with torch.no_grad():
            params[name].copy_(value)
        seen.add(name)
    missing = set(params) - seen
    if missing:
        raise SystemExit(f"peers: Eff exported no value for {sorted(missing)}")


def verify(java, name, steps, tolerance):
    cfg = parse_description(java.ask(f"load {name}"))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"{name}.npz")
        reply = java.ask(f"verify {name} {path} {steps}")
        archive = np.load(path)
        peer = TorchPeer(cfg, steps)
        load_eff_weights(peer.model, archive)
        if cfg["kind"] == "infer":
            peer.model.eval()
            with torch.no_grad():
                ours = peer.model.logits(torch.from_numpy(archive["tokens0"].astype(np.int64)))[0].numpy()
            theirs = archive["logits"].reshape(ours.shape)
            diff = float(np.abs(ours - theirs).max())
            print(f"| {name} | logits of one sequence | max abs diff {diff:.2e} (of max |logit| {np.abs(theirs).max():.3f}) |")
        else:
            eff_losses = numbers(reply, "losses")
            torch_losses = [peer.train_step(torch.from_numpy(archive[f"tokens{s}"].astype(np.int64)),
                                            torch.from_numpy(archive[f"labels{s}"].astype(np.int64))) for s in range(steps)]
            diffs = [abs(a - b) for a, b in zip(eff_losses, torch_losses)]
            diff = max(diffs)
            cells = ", ".join(f"{a:.6f}/{b:.6f}" for a, b in zip(eff_losses, torch_losses))
            print(f"| {name} | losses of steps 1..{steps}, Eff/PyTorch: {cells} | max abs diff {diff:.2e} (step 1: {diffs[0]:.2e}) |")
    java.ask(f"unload {name}")
    return diff <= tolerance


# ---------------------------------------------------------------------------------------------------------------
# The benchmark


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_flags():
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next((l.split(":", 1)[1].strip() for l in out.splitlines() if l.startswith("Model name")), platform.processor())
    flags = next((l.split(":", 1)[1].split() for l in out.splitlines() if l.startswith("Flags")), [])
    return model, sorted(f for f in flags if f.startswith(("avx", "fma", "amx")))


def summary(per_rep):
    """per_rep: one list of step times per repetition -> median of the repetitions' medians, min and max step."""
    flat = [x for rep in per_rep for x in rep]
    return {"median": statistics.median(statistics.median(r) for r in per_rep), "min": min(flat), "max": max(flat),
            "rep_medians": [statistics.median(r) for r in per_rep], "steps_ms": per_rep}


def bench_model(java, name, args):
    cfg = parse_description(java.ask(f"load {name}"))
    steps = args.steps or DEFAULT_STEPS[name]
    peer = TorchPeer(cfg, total_steps=10 ** 6)
    programs = ["eff"] + (["hand"] if cfg["hand"] else []) + ["torch"]
    times = {p: [] for p in programs}
    loads = []
    for rep in range(args.reps):
        order = programs[rep % len(programs):] + programs[:rep % len(programs)]
        for p in order:
            if p == "torch":
                times[p].append(peer.run(steps, args.warmup))
            else:
                times[p].append(numbers(java.ask(f"run {name} {p} {steps} {args.warmup}"), "ms"))
        loads.append(load_average())
        print(f"  {name} rep {rep + 1}/{args.reps}: " + ", ".join(
            f"{p} {statistics.median(times[p][-1]):.1f}" for p in programs) + f" ms (load {loads[-1]})", file=sys.stderr)
    java.ask(f"unload {name}")
    result = {"description": cfg, "steps": steps, "warmup": args.warmup, "order": programs, "loads": loads, "programs": {}}
    for p, per_rep in times.items():
        result["programs"][p] = summary(per_rep)
    return result


def table(results):
    head = ("| model | Eff ms (min–max) | hand SameDiff ms (min–max) | PyTorch ms (min–max) | Eff / PyTorch | Eff / hand "
            "| GFLOP per step | MFU Eff | MFU hand | MFU PyTorch |\n|---|---|---|---|---|---|---|---|---|---|")
    rows = [head]
    for name, r in results.items():
        p = r["programs"]

        def cell(k):
            return f"{p[k]['median']:.1f} ({p[k]['min']:.1f}–{p[k]['max']:.1f})" if k in p else "—"

        def mfu(k):
            return f"{100 * p[k]['mfu']:.1f} %" if k in p else "—"

        hand = f"{p['eff']['median'] / p['hand']['median']:.2f}" if "hand" in p else "—"
        rows.append(f"| {r['title']} | {cell('eff')} | {cell('hand')} | {cell('torch')} | "
                    f"{p['eff']['median'] / p['torch']['median']:.2f} | {hand} | {r['description']['stepFlops'] / 1e9:.2f} | "
                    f"{mfu('eff')} | {mfu('hand')} | {mfu('torch')} |")
    return "\n".join(rows)


TITLES = {
    "char4": "char transformer train step (4 blocks, d 256, B16 T128)",
    "block512": "1 block train step, B16 T512",
    "block128": "1 block train step, B16 T128",
    "infer4": "batch-1 inference, 4 blocks, T128",
    "quickstart": "quickstart train step (d 64, 2 blocks, B32 T9)",
    "moe": "expert-choice MoE encoder train step (16 experts, d 128, 2 blocks, B32 T64)",
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", default=",".join(MODELS), help="comma-separated, of: " + ", ".join(MODELS))
    ap.add_argument("--reps", type=int, default=5, help="repetitions (default 5)")
    ap.add_argument("--steps", type=int, default=0, help="timed steps per run (default per model: "
                    + ", ".join(f"{k} {v}" for k, v in DEFAULT_STEPS.items()) + ")")
    ap.add_argument("--warmup", type=int, default=2, help="untimed steps before each run's timed ones (default 2)")
    ap.add_argument("--threads", type=int, default=2, help="PyTorch threads (default 2)")
    ap.add_argument("--json", help="write every figure, per-step times included, to this file")
    ap.add_argument("--verify", action="store_true", help="instead of timing: Eff's initial weights and batches in "
                    "PyTorch, and the losses (logits for inference) of both after --verify-steps steps")
    ap.add_argument("--verify-steps", type=int, default=3)
    ap.add_argument("--tolerance", type=float, default=1e-4, help="largest loss difference --verify accepts")
    args = ap.parse_args()
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    unknown = [m for m in models if m not in MODELS]
    if unknown or args.reps < 1 or args.steps < 0 or args.warmup < 0:
        ap.error(f"unknown models {unknown}" if unknown else "--reps must be >= 1, --steps and --warmup >= 0")
    torch.set_num_threads(args.threads)

    log = os.path.join(tempfile.gettempdir(), f"peers-java-{os.getpid()}.log")
    print(f"peers: starting the Java side (build, then PeerServer; its log: {log})", file=sys.stderr)
    java = JavaPeer(log)
    try:
        if args.verify:
            print("| model | compared | result |\n|---|---|---|")
            ok = all([verify(java, m, args.verify_steps, args.tolerance) for m in models])
            sys.exit(0 if ok else 1)
        load_start = load_average()
        native, nd4j = java_gemm_peak(java)
        pt = torch_gemm_peak()
        results = {}
        started = time.time()
        for m in models:
            results[m] = {"title": TITLES[m]}
            results[m].update(bench_model(java, m, args))
        # measured again at the end: a machine shared with other work may have been slower at the start
        _, nd4j_end = java_gemm_peak(java)
        pt_end = torch_gemm_peak()
        nd4j = {k: max(v, nd4j_end[k]) for k, v in nd4j.items()}
        pt = {k: max(v, pt_end[k]) for k, v in pt.items()}
        peak = max(max(nd4j.values()), max(pt.values()))
        for r in results.values():
            for s in r["programs"].values():
                s["mfu"] = r["description"]["stepFlops"] / (s["median"] / 1e3) / (peak * 1e9)
        model, flags = cpu_flags()
        machine = {"cpu": model, "flags": flags, "cores": os.cpu_count(), "nd4j_native": native, "torch": torch.__version__,
                   "torch_threads": torch.get_num_threads(), "OMP_WAIT_POLICY": os.environ["OMP_WAIT_POLICY"],
                   "load_start": load_start, "load_end": load_average(), "minutes": (time.time() - started) / 60}
        nd4j_rates = ", ".join(f"{k} {v:.0f}" for k, v in nd4j.items())
        pt_rates = ", ".join(f"{k} {v:.0f}" for k, v in pt.items())
        print(f"GEMM peak, GFLOP/s, best of the start and the end: ND4J ({native} libnd4j) {nd4j_rates}; "
              f"PyTorch {pt_rates}; machine peak {peak:.0f}")
        print(f"{model} ({os.cpu_count()} cores; {' '.join(flags)}), PyTorch {torch.__version__} at "
              f"{torch.get_num_threads()} threads, OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}; load average "
              f"{machine['load_start']} at the start, {machine['load_end']} at the end; {machine['minutes']:.1f} min\n")
        print(table(results))
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"command": sys.argv, "machine": machine, "peaks": {"nd4j": nd4j, "torch": pt, "machine": peak},
                           "models": results}, f, indent=1)
    finally:
        java.close()


if __name__ == "__main__":
    main()

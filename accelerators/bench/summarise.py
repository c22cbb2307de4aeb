"""Summarises natives.sh output: medians over rounds per (build, env), max relative deviation from generic."""
import json, re, statistics, sys
from collections import defaultdict

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def env_key(r):
    wait = re.search(r"OMP_WAIT_POLICY=(\S+)", r["env"]).group(1)
    core = re.search(r"OPENBLAS_CORETYPE=(\S+)", r["env"]).group(1)
    return ("PASSIVE" if wait == "PASSIVE" else "-") + " / " + ("SkylakeX" if core == "SkylakeX" else "-")
groups = defaultdict(list)
for r in rows:
    groups[(r["build"], env_key(r))].append(r)
reference = {}
for (b, e), rs in groups.items():
    if b == "generic":
        reference[e] = rs[0]["check"]
def deviation(check, ref):
    return max(abs(a - b) / max(abs(b), 1e-3) for a, b in zip(check, ref))
print("| build | OMP_WAIT_POLICY / OPENBLAS_CORETYPE | GEMM 1024 GFLOP/s | GEMM 2048 GFLOP/s | train step ms | step CPU ms | runs | max rel. dev. vs generic | loaded |")
print("|---|---|---|---|---|---|---|---|---|")
# each cell: median over the runs (best run in parentheses: under CPU contention the best is the nearer to the quiet figure)
def cpu(rs):
    v = [r["stepCpuMs"] for r in rs if "stepCpuMs" in r]
    return f"{statistics.median(v):.0f} ({min(v):.0f})" if v else "-"
order = ["generic", "avx2", "avx512", "onednn", "onednn-avx2", "onednn-avx512"]
for (b, e) in sorted(groups, key=lambda k: (order.index(k[0]), k[1])):
    rs = groups[(b, e)]
    med = lambda k: statistics.median(r[k] for r in rs)
    dev = max(deviation(r["check"], reference[e]) for r in rs) if e in reference else float("nan")
    lib = rs[0]["library"].split("/bindings/")[-1].split("/")[0]
    hi = lambda k: max(r[k] for r in rs)
    lo = lambda k: min(r[k] for r in rs)
    print(f"| {b} | {e} | {med('gemm1024'):.0f} ({hi('gemm1024'):.0f}) | {med('gemm2048'):.0f} ({hi('gemm2048'):.0f}) "
          f"| {med('stepMs'):.0f} ({lo('stepMs'):.0f}) | {cpu(rs)} | {len(rs)} | {dev:.1e} | {lib} |")

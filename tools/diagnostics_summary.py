#!/usr/bin/env python3
"""Summarises the diagnostics of one or more training runs (their train-log.jsonl).

    python3 tools/diagnostics_summary.py RUN_DIR [RUN_DIR ...] [--window 100] [--json OUT.json]

RUN_DIR holds train-log.jsonl, or train-log.jsonl.gz as the committed records of
tools/context-ablation.sh do (docs/results/*/runs/<set>/<variant>-seed<N>).

Plain Python 3, no third-party packages. For each run, per window of iterations: each output's
mean loss, the gradient norm (median, largest, share of steps above the clip if the run clipped),
each part's share of the squared gradient norm, the attention scalars and PAM's/CAM's row
measures at the window's last diagnostics line; then every spike line (which module dominated),
(the modules whose gradient grew most against the median of the diagnostics lines within 100
iterations) and the validations. These are the tables in docs/training.md ("Why DANet training was unstable").
"""
import argparse
import gzip
import json
import math
import os
import statistics


def read(run):
    """The log's entries; a last line cut by a killed run is left out."""
    entries = []
    plain = os.path.join(run, "train-log.jsonl")
    opened = open(plain) if os.path.exists(plain) else gzip.open(plain + ".gz", "rt")
    with opened as f:
        for line in f:
            if not line.endswith("\n"):
                break  # cut short by a kill: the run was writing it
            if line.strip():
                entries.append(json.loads(line))
    return entries




def summarise(run, window, clip):
    entries = read(run)
    steps = [e for e in entries if e["type"] == "step"]
    lines = [e for e in entries if e["type"] == "diagnostics"]
    every = [e for e in lines if e["reason"] == "every"]
    names = list(every[0]["losses"].keys()) if every else []
    out = {"run": run, "windows": [], "spikes": [], "validations": []}
    last = steps[-1]["iteration"] if steps else 0
    for start in range(0, last, window):
        chunk = [e for e in steps if start < e["iteration"] <= start + window]
        if not chunk:
            continue
        norms = [e["grad_norm"] for e in chunk]
        finite = [n for n in norms if math.isfinite(n)]
        row = {
            "iterations": f"{start + 1}-{start + window}",
            "loss": statistics.mean(e["loss"] for e in chunk),
            "losses": {names[i] if i < len(names) else f"output{i}":
                       statistics.mean(e["output_losses"][i] for e in chunk)
                       for i in range(len(chunk[0]["output_losses"]))},
            "grad_norm_median": statistics.median(finite) if finite else float("nan"),
            "grad_norm_max": max(norms),
            "clipped_share": (sum(1 for n in norms if not math.isfinite(n) or n > clip) / len(norms))
            if clip else None,
        }
        diag = [e for e in every if start < e["iteration"] <= start + window]
        if diag:
            shares = {}
            for e in diag:
                total = sum(v * v for v in e["grad_norm_parts"].values())
                for part, v in e["grad_norm_parts"].items():
                    shares.setdefault(part, []).append(v * v / total if total > 0 else 0)
            row["grad_share"] = {p: statistics.mean(v) for p, v in shares.items()}
            # Relative step of each module, lr x |grad| / |weight| (before momentum and the clip):
            # how fast the multipliers make each part move.
            ratios = {}
            for e in diag:
                for module, g in e["grad_norms"].items():
                    w = e["weight_norms"].get(module, 0)
                    lr = e["lr"] if module.startswith("pretrained") else e["head_lr"]
                    if w > 0 and math.isfinite(g):
                        ratios.setdefault(module, []).append(lr * g / w)
            row["update_ratio"] = {m: statistics.median(v) for m, v in ratios.items()}
            end = diag[-1]
            row["scalars"] = end["scalars"]
            row["attention"] = {k: statistics.mean(e["attention"].get(k, float("nan")) for e in diag)
                                for k in end["attention"]}
        out["windows"].append(row)
    for e in lines:
        if e["reason"] == "spike":
            modules = e["grad_norms"]
            near = [d for d in every if abs(d["iteration"] - e["iteration"]) <= 100]
            growth = {}
            for m, v in modules.items():
                typical = [d["grad_norms"][m] for d in near if m in d["grad_norms"]]
                med = statistics.median(typical) if typical else 0
                growth[m] = v / med if med > 0 else float("inf")
            top = sorted(growth, key=lambda m: -growth[m] if math.isfinite(growth[m]) else float("-inf"))[:3]
            out["spikes"].append({"iteration": e["iteration"], "grad_norm": e["grad_norm"],
                                  "parts": e["grad_norm_parts"], "losses": e["losses"], "scalars": e["scalars"],
                                  "grew_most": {m: growth[m] for m in top}})
    out["validations"] = [e for e in entries if e["type"] == "validation"]
    return out


def fmt(v):
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else (
        f"{v:.3g}" if isinstance(v, float) else str(v))


def print_run(s):
    print(f"# {s['run']}")
    for w in s["windows"]:
        losses = " ".join(f"{k} {v:.3f}" for k, v in w["losses"].items())
        line = (f"{w['iterations']:>9}  loss {w['loss']:.3f} ({losses})  grad median {fmt(w['grad_norm_median'])}"
                f" max {fmt(w['grad_norm_max'])}")
        if w["clipped_share"] is not None:
            line += f" clipped {100 * w['clipped_share']:.0f}%"
        print(line)
        if "grad_share" in w:
            print("           grad^2 share " + " ".join(f"{k} {v:.2f}" for k, v in w["grad_share"].items()))
            print("           lr*|g|/|w| " + " ".join(f"{k.replace('pretrained.', '').replace('head.', '')} {v:.1e}"
                                                   for k, v in w["update_ratio"].items()))
            if w["scalars"]:
                print("           scalars " + " ".join(f"{k} {v:.3f}" for k, v in w["scalars"].items()))
            a = w["attention"]
            keys = ["pam_same_class_mass", "pam_chance", "pam_row_max", "pam_one_hot", "pam_relative_entropy",
                    "pam_shared_with_mean", "pam_energy_row_std", "pam_query_norm", "pam_key_norm", "cam_row_max"]
            if a:
                print("           " + " ".join(f"{k.replace('pam_', 'pam.').replace('cam_', 'cam.')} {a[k]:.3f}"
                                               for k in keys if k in a))
    for sp in s["spikes"]:
        print(f"  spike at {sp['iteration']}: norm {fmt(sp['grad_norm'])}; parts "
              + " ".join(f"{k} {fmt(v)}" for k, v in sp["parts"].items())
              + "; grew most against the median of the diagnostics lines within 100 iterations: "
              + " ".join(f"{k} x{v:.0f}" for k, v in sp["grew_most"].items()))
    for v in s["validations"]:
        print(f"  validation at {v['iteration']}: mIoU_present {v.get('mIoU_present', float('nan')):.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--window", type=int, default=100)
    parser.add_argument("--clip", type=float, default=5.0, help="the run's gradient clip (the demo's: 5; 0: none)")
    parser.add_argument("--json")
    args = parser.parse_args()
    summaries = [summarise(r, args.window, args.clip or None) for r in args.runs]
    for s in summaries:
        print_run(s)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summaries, f, indent=1)


if __name__ == "__main__":
    main()

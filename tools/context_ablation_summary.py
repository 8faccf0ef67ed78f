#!/usr/bin/env python3
"""Tables for the context ablation (issue 19): mean, spread and a 95% t interval over seeds.

Reads every RUNS/<set>/<variant>-seed<N>/eval/metrics.json (written by `./danet eval`) below the
folder given and prints markdown: per set and variant, the mIoU over the classes present and the mean
IoU of the set's context-decided classes, each as mean, 95% interval (mean +- t(0.975, n-1) s / sqrt n)
and min..max over seeds; then per-class IoU of those classes; then, per set, which variants' intervals
separate. Writes the same numbers to <folder>/results.json. Standard library only.

    python3 tools/context_ablation_summary.py out/context-ablation          # runs/<set>/<model>-seed<N>/
    python3 tools/context_ablation_summary.py out/scale-benchmark/extra-supervision --set scale
    python3 tools/context_ablation_summary.py docs/results/context-long --seeds 1-3   # one experiment's seeds
"""
import argparse
import json
import math
import os
import re
import statistics
import sys

from cue_learning_summary import seeds_of  # the same seed lists ("1-3,5") both tools take

# The classes whose label context decides, per set (docs/context-benchmarks.md). The control has none;
# its car and truck are reported for comparison with the three street benchmarks that decide them.
CONTEXT_CLASSES = {
    "demo": ["road", "terrain", "car", "truck"],
    "weather": ["car", "truck"],
    "sign": ["car", "truck"],
    "pairing": ["car", "truck"],
    "control": ["car", "truck"],
    "scale": ["traffic sign", "wall"],
}

# t(0.975, df): two-sided 95%.
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
        11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093,
        20: 2.086, 25: 2.060, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}

RUN = re.compile(r"^(?P<variant>.+)-seed(?P<seed>\d+)$")
ORDER = ["fcn", "pam", "cam", "danet", "single", "average", "max", "attention", "average-nosup", "max-nosup",
         "attention-nosup"]


def t975(df):
    """The 0.975 quantile of Student's t; for a df not in the table, the next smaller one (wider)."""
    if df < 1:
        return float("nan")
    return T975[max(k for k in T975 if k <= df)]


def interval(values):
    """(mean, half-width of the 95% t interval, min, max); half-width NaN for one value."""
    n = len(values)
    mean = statistics.fmean(values)
    half = t975(n - 1) * statistics.stdev(values) / math.sqrt(n) if n > 1 else float("nan")
    return mean, half, min(values), max(values)


def fmt(stats):
    mean, half, lo, hi = stats
    if math.isnan(half):
        return f"{mean:.4f}"
    return f"{mean:.4f} [{mean - half:.4f}, {mean + half:.4f}] ({lo:.4f}..{hi:.4f})"


def read_runs(runs_dir, set_name, seeds=None):
    """{variant: {seed: (mIoU present, {class: IoU})}} for one set's run folders (only seeds, if given)."""
    out = {}
    for name in sorted(os.listdir(runs_dir)):
        m = RUN.match(name)
        metrics = os.path.join(runs_dir, name, "eval", "metrics.json")
        if not m or not os.path.isfile(metrics) or (seeds is not None and int(m.group("seed")) not in seeds):
            continue
        with open(metrics) as f:
            report = json.load(f)
        scores = report["metrics"]
        per_class = {c["name"]: c["iou"] for c in scores["perClass"]}
        out.setdefault(m.group("variant"), {})[int(m.group("seed"))] = (scores["miouPresentClasses"], per_class)
    return out


def context_mean(per_class, classes):
    values = [per_class.get(c) for c in classes]
    values = [v for v in values if v is not None]  # a class absent from truth and prediction has no IoU
    return statistics.fmean(values) if values else float("nan")


def summarise(sets):
    """sets: {set: {variant: {seed: (miou, per_class)}}} -> (markdown, json-able dict)."""
    lines = []
    data = {}
    for set_name, variants in sets.items():
        classes = CONTEXT_CLASSES.get(set_name, [])
        ordered = sorted(variants, key=lambda v: (ORDER.index(v) if v in ORDER else len(ORDER), v))
        lines.append(f"## {set_name}\n")
        label = "mean IoU of " + ", ".join(classes) if classes else "(no context classes)"
        lines.append(f"| variant | seeds | mIoU, classes present | {label} |")
        lines.append("|---|---|---|---|")
        data[set_name] = {"contextClasses": classes, "variants": {}}
        rows = {}
        for v in ordered:
            seeds = sorted(variants[v])
            miou = interval([variants[v][s][0] for s in seeds])
            ctx = interval([context_mean(variants[v][s][1], classes) for s in seeds])
            rows[v] = (miou, ctx)
            lines.append(f"| {v} | {','.join(map(str, seeds))} | {fmt(miou)} | {fmt(ctx)} |")
            data[set_name]["variants"][v] = {
                "seeds": seeds,
                "miouPresent": dict(zip(["mean", "halfWidth95", "min", "max"], miou)),
                "contextMeanIou": dict(zip(["mean", "halfWidth95", "min", "max"], ctx)),
                "perSeed": {str(s): {"miouPresent": variants[v][s][0],
                                     "contextMeanIou": context_mean(variants[v][s][1], classes),
                                     "iou": {c: variants[v][s][1].get(c) for c in classes}} for s in seeds},
            }
        lines.append("")
        if classes:
            lines.append("Per class (IoU, mean [95% interval] (min..max) over seeds):\n")
            lines.append("| variant | " + " | ".join(classes) + " |")
            lines.append("|---|" + "---|" * len(classes))
            for v in ordered:
                seeds = sorted(variants[v])
                cells = []
                for c in classes:
                    values = [variants[v][s][1].get(c) for s in seeds]
                    values = [x for x in values if x is not None]
                    cells.append(fmt(interval(values)) if values else "-")
                lines.append(f"| {v} | " + " | ".join(cells) + " |")
            lines.append("")
        lines.append("Orders the intervals support (A > B where A's lower bound is above B's upper bound):\n")
        claims = []
        for metric, idx in (("mIoU", 0), ("context mean IoU", 1)):
            for a in ordered:
                for b in ordered:
                    ma, ha = rows[a][idx][0], rows[a][idx][1]
                    mb, hb = rows[b][idx][0], rows[b][idx][1]
                    if a != b and not math.isnan(ha) and not math.isnan(hb) and ma - ha > mb + hb:
                        claims.append(f"- {metric}: {a} > {b}")
        lines.extend(claims if claims else ["- none: every pair of intervals overlaps"])
        data[set_name]["separated"] = [c[2:] for c in claims]
        lines.append("")
    return "\n".join(lines), data


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", help="the ablation's output folder (holding runs/)")
    parser.add_argument("--set", help="runs/ holds one set's runs directly (e.g. the scale benchmark's), named so")
    parser.add_argument("--seeds", help="only these seeds, e.g. 1-3 (default: every seed recorded)")
    args = parser.parse_args()
    seeds = set(seeds_of(args.seeds)) if args.seeds else None
    runs = os.path.join(args.folder, "runs")
    if not os.path.isdir(runs):
        sys.exit(f"error: {runs}: no such folder (run tools/context-ablation.sh first)")
    if args.set:
        sets = {args.set: read_runs(runs, args.set, seeds)}
    else:
        names = [s for s in os.listdir(runs) if os.path.isdir(os.path.join(runs, s))]
        names.sort(key=lambda s: (list(CONTEXT_CLASSES).index(s) if s in CONTEXT_CLASSES else len(CONTEXT_CLASSES), s))
        sets = {s: read_runs(os.path.join(runs, s), s, seeds) for s in names}
    sets = {s: v for s, v in sets.items() if v}
    if not sets:
        sys.exit(f"error: {runs}: no evaluated runs (<variant>-seed<N>/eval/metrics.json)")
    text, data = summarise(sets)
    print("# Context ablation: results\n")
    print("Mean [95% interval: mean +- t(0.975, n-1) * s / sqrt(n) over the seeds] (min..max).\n")
    print(text)
    with open(os.path.join(args.folder, "results.json"), "w") as f:
        json.dump(data, f, indent=2)


if __name__ == "__main__":
    main()

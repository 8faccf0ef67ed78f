#!/usr/bin/env python3
"""How often a run learned a benchmark's cue: the share of seeds whose context-decided classes all
reach an IoU threshold, per model, compared by Fisher's exact test.

    python3 tools/cue_learning_summary.py RECORD SET [--models fcn,danet] [--seeds 4-11]
        [--classes car,truck] [--threshold 0.6]

RECORD is a results folder of tools/context-ablation.sh (runs/<set>/<model>-seed<N>/eval/metrics.json).
Prints a markdown table: each run's IoU of the classes, whether it learned the cue and, for runs with
attention, PAM's and CAM's scales at the last diagnostics line of the run's training log; per model the
count with a 95% Wilson interval; for two models the two-sided Fisher exact p-value (the tables as
or less likely than the one seen, under fixed margins). Plain Python 3, no third-party packages.
The recipe this serves is in docs/context-benchmarks.md ("How often a run learns the weather").
"""
import argparse
import gzip
import json
import math
import os


def seeds_of(text):
    seeds = []
    for part in text.split(","):
        if "-" in part:
            low, high = part.split("-")
            seeds.extend(range(int(low), int(high) + 1))
        else:
            seeds.append(int(part))
    return seeds


def class_ious(path, classes):
    with open(path) as f:
        per_class = {c["name"]: c.get("iou") for c in json.load(f)["metrics"]["perClass"]}
    return [per_class.get(c) or 0.0 for c in classes]


def final_scalars(run):
    """The attention scales (name -> value) of the run's last diagnostics line; empty without a log."""
    plain = os.path.join(run, "train-log.jsonl")
    if os.path.exists(plain):
        opened = open(plain)
    elif os.path.exists(plain + ".gz"):
        opened = gzip.open(plain + ".gz", "rt")
    else:
        return {}
    scalars = {}
    with opened as f:
        for line in f:
            if line.endswith("\n") and '"diagnostics"' in line:
                scalars = json.loads(line).get("scalars") or scalars
    return scalars


SCALES = (("head.sa.gamma", "PAM scale"), ("head.sc.gamma", "CAM scale"))


def wilson(successes, n, z=1.959964):
    """95% Wilson score interval for a binomial share."""
    if n == 0:
        return (float("nan"), float("nan"))
    share = successes / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def fisher_two_sided(a, n1, c, n2):
    """P-value of Fisher's exact test for a of n1 against c of n2 (margins fixed)."""
    total, column = n1 + n2, a + c

    def probability(x):
        return math.comb(n1, x) * math.comb(n2, column - x) / math.comb(total, column)

    seen = probability(a)
    low, high = max(0, column - n2), min(n1, column)
    return min(1.0, sum(p for p in (probability(x) for x in range(low, high + 1)) if p <= seen * (1 + 1e-9)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("record")
    parser.add_argument("set")
    parser.add_argument("--models", default="fcn,danet")
    parser.add_argument("--seeds", default="4-11")
    parser.add_argument("--classes", default="car,truck")
    parser.add_argument("--threshold", type=float, default=0.6)
    args = parser.parse_args()
    models, classes, seeds = args.models.split(","), args.classes.split(","), seeds_of(args.seeds)

    print(f"# How often a run learned the cue: {args.set}, seeds {args.seeds}\n")
    print(f"Learned: every one of {', '.join(classes)} at IoU >= {args.threshold} on the val split.\n")
    print("| model | seed | " + " | ".join(classes) + " | learned | "
          + " | ".join(label for _, label in SCALES) + " |")
    print("|---|---|" + "---|" * (len(classes) + 1 + len(SCALES)))
    counts = {}
    for model in models:
        learned, runs = 0, 0
        for seed in seeds:
            path = os.path.join(args.record, "runs", args.set, f"{model}-seed{seed}", "eval", "metrics.json")
            if not os.path.exists(path):
                continue
            ious = class_ious(path, classes)
            hit = all(iou >= args.threshold for iou in ious)
            learned, runs = learned + hit, runs + 1
            scalars = final_scalars(os.path.dirname(os.path.dirname(path)))
            scales = " | ".join(f"{scalars[key]:.3f}" if key in scalars else "-" for key, _ in SCALES)
            print(f"| {model} | {seed} | " + " | ".join(f"{iou:.3f}" for iou in ious)
                  + f" | {'yes' if hit else 'no'} | {scales} |")
        counts[model] = (learned, runs)
    print("\n| model | learned | share [95% Wilson interval] |")
    print("|---|---|---|")
    for model, (learned, runs) in counts.items():
        low, high = wilson(learned, runs)
        share = learned / runs if runs else float("nan")
        print(f"| {model} | {learned} of {runs} | {share:.2f} [{low:.2f}, {high:.2f}] |")
    if len(models) == 2 and all(runs for _, runs in counts.values()):
        (a, n1), (c, n2) = counts[models[0]], counts[models[1]]
        print(f"\nFisher's exact test, two-sided, {models[0]} {a}/{n1} against {models[1]} {c}/{n2}: "
              f"p = {fisher_two_sided(a, n1, c, n2):.4f}")


if __name__ == "__main__":
    main()

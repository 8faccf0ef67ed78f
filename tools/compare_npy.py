#!/usr/bin/python3
"""Compares two .npy arrays: prints shapes, dtypes, relative L2 error
||A - B|| / ||B|| (B is the reference) and max abs error.

  /usr/bin/python3 tools/compare_npy.py A.npy B.npy

Exit status 1 if the shapes differ or a value is non-finite.
"""

import sys

import numpy as np


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    a = np.load(sys.argv[1])
    b = np.load(sys.argv[2])
    print("A: %s %s  (%s)" % (list(a.shape), a.dtype, sys.argv[1]))
    print("B: %s %s  (%s)" % (list(b.shape), b.dtype, sys.argv[2]))
    if a.shape != b.shape:
        print("shape mismatch")
        sys.exit(1)
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        print("non-finite values: A %d, B %d" % (np.sum(~np.isfinite(a)),
                                                 np.sum(~np.isfinite(b))))
        sys.exit(1)
    d = a - b
    nb = np.linalg.norm(b)
    rel = np.linalg.norm(d) / nb if nb > 0 else float("inf")
    print("relative L2 error: %.6g" % rel)
    print("max abs error:     %.6g" % np.max(np.abs(d)) if d.size else "max abs error: n/a")
    print("B rms %.6g, B max abs %.6g" % (np.sqrt(np.mean(b * b)), np.max(np.abs(b))))


if __name__ == "__main__":
    main()

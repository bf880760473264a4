#!/usr/bin/env python3
"""Counts the edge crossings Graphviz `dot` draws for the 35 reference topologies.

Regenerates tests/data/dot_crossings.tsv, the baseline `layout_reference.rs`
compares Meridian's layout against (so CI does not need Graphviz):

    python3 playground/engine/tests/data/dot_crossings.py            # writes the TSV
    python3 playground/engine/tests/data/dot_crossings.py --check    # diff only
    python3 playground/engine/tests/data/dot_crossings.py --dot 14   # print a DOT graph

For each published reference solution (problems/multiregion/*.yaml, the
files tests/support/course.rs reads) it writes a DOT graph with the same nodes
and directed edges (rankdir=TB, default settings, no clusters), runs `dot -Tplain`,
samples each edge's B-spline (a chain of cubic Béziers) at 20 points per
segment, and counts pairs of edges whose polylines properly intersect.
Intersections near a node both edges attach to are not crossings: edges
sharing an end meet there. Needs python3 with PyYAML (Debian: python3-yaml)
and Graphviz.
"""

import os
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
PROBLEMS = os.path.normpath(os.path.join(HERE, "../../../../problems/multiregion"))
OUT = os.path.join(HERE, "dot_crossings.tsv")
SAMPLES = 20
# Points per inch in -Tplain (coordinates and node sizes are in inches).
PT = 72.0
# Intersections this close (points) to the box of a node both edges attach to
# are ignored.
SHARED_MARGIN = 4.0


def load_problems():
    """The published reference solutions, in course order."""
    problems = []
    for name in sorted(os.listdir(PROBLEMS)):
        if not name.endswith(".yaml"):
            continue
        with open(os.path.join(PROBLEMS, name), encoding="utf-8") as f:
            spec = yaml.safe_load(f)
        ref = spec["reference"]
        problems.append({
            "number": spec["number"], "id": spec["id"],
            "nodes": [c["name"] for c in ref["components"]],
            "edges": [(c["from"], c["to"]) for c in ref.get("connections", [])],
        })
    return problems


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(p):
    idx = {n: i for i, n in enumerate(p["nodes"])}
    lines = ["digraph G {", "  rankdir=TB;"]
    for n, i in idx.items():
        lines.append(f"  n{i} [label={quote(n)}];")
    for a, b in p["edges"]:
        if a in idx and b in idx:
            lines.append(f"  n{idx[a]} -> n{idx[b]};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def run_dot(src):
    out = subprocess.run(["dot", "-Tplain"], input=src, capture_output=True,
                         text=True, check=True).stdout
    nodes, edges = {}, []
    for line in out.splitlines():
        f = split_plain(line)
        if not f:
            continue
        if f[0] == "node":
            x, y, w, h = (float(v) * PT for v in f[2:6])
            nodes[f[1]] = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        elif f[0] == "edge":
            n = int(f[3])
            pts = [(float(f[4 + 2 * k]) * PT, float(f[5 + 2 * k]) * PT) for k in range(n)]
            edges.append((f[1], f[2], sample(pts)))
    return nodes, edges


def split_plain(line):
    """Splits a -Tplain line, honouring double-quoted fields."""
    out, cur, quoted, i = [], "", False, 0
    while i < len(line):
        c = line[i]
        if quoted:
            if c == "\\" and i + 1 < len(line):
                cur += line[i + 1]
                i += 1
            elif c == '"':
                quoted = False
            else:
                cur += c
        elif c == '"':
            quoted = True
        elif c == " ":
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    if cur:
        out.append(cur)
    return out


def sample(ctrl):
    """Polyline through the B-spline: cubic Béziers p0 p1 p2 p3, p3 p4 p5 p6, ..."""
    pts = [ctrl[0]]
    for s in range(0, len(ctrl) - 3, 3):
        p0, p1, p2, p3 = ctrl[s:s + 4]
        for k in range(1, SAMPLES + 1):
            t = k / SAMPLES
            u = 1 - t
            pts.append(tuple(
                u * u * u * p0[d] + 3 * u * u * t * p1[d] + 3 * u * t * t * p2[d] + t * t * t * p3[d]
                for d in range(2)))
    return pts


def seg_intersection(a, b, c, d):
    """Proper intersection point of segments ab and cd, or None."""
    r = (b[0] - a[0], b[1] - a[1])
    s = (d[0] - c[0], d[1] - c[1])
    den = r[0] * s[1] - r[1] * s[0]
    if abs(den) < 1e-12:
        return None
    t = ((c[0] - a[0]) * s[1] - (c[1] - a[1]) * s[0]) / den
    u = ((c[0] - a[0]) * r[1] - (c[1] - a[1]) * r[0]) / den
    if 0.0 <= t <= 1.0 and 0.0 <= u <= 1.0:
        return (a[0] + t * r[0], a[1] + t * r[1])
    return None


def near(p, box):
    x0, y0, x1, y1 = box
    m = SHARED_MARGIN
    return x0 - m <= p[0] <= x1 + m and y0 - m <= p[1] <= y1 + m


def crossings(nodes, edges):
    count = 0
    for i in range(len(edges)):
        for j in range(i + 1, len(edges)):
            (ta, ha, pa), (tb, hb, pb) = edges[i], edges[j]
            shared = [nodes[k] for k in {ta, ha} & {tb, hb}]
            if edges_cross(pa, pb, shared):
                count += 1
    return count


def edges_cross(pa, pb, shared):
    for k in range(len(pa) - 1):
        for m in range(len(pb) - 1):
            p = seg_intersection(pa[k], pa[k + 1], pb[m], pb[m + 1])
            if p is not None and not any(near(p, box) for box in shared):
                return True
    return False


def main(argv):
    problems = load_problems()
    if len(argv) == 3 and argv[1] == "--dot":
        p = next(p for p in problems if p["number"] == int(argv[2]))
        sys.stdout.write(to_dot(p))
        return 0
    rows = ["number\tid\tdot_crossings"]
    for p in problems:
        nodes, edges = run_dot(to_dot(p))
        rows.append(f"{p['number']}\t{p['id']}\t{crossings(nodes, edges)}")
    text = "\n".join(rows) + "\n"
    if len(argv) == 2 and argv[1] == "--check":
        with open(OUT, encoding="utf-8") as f:
            same = f.read() == text
        sys.stdout.write(text)
        print("up to date" if same else "DIFFERS from " + OUT)
        return 0 if same else 1
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

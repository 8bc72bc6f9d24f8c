"""Independent reference values for lib/evaluate tests.

Run with Debian's python3 (numpy): /usr/bin/python3 lib/evaluate/__fixtures__/make_metrics_fixture.py
Implements each metric from its textbook definition (brute-force pair counting for ROC AUC, an explicit
loop over thresholds for average precision, sklearn's own format strings for classification_report),
deliberately NOT mirroring the TypeScript code paths.
"""
import json
import os

import numpy as np


def roc_auc_pairs(y, s):
    pos = s[y == 1]
    neg = s[y == 0]
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def roc_points(y, s):
    fpr, tpr = [0.0], [0.0]
    for t in sorted(set(s.tolist()), reverse=True):
        pred = s >= t
        tpr.append(float((pred & (y == 1)).sum() / (y == 1).sum()))
        fpr.append(float((pred & (y == 0)).sum() / (y == 0).sum()))
    return fpr, tpr


def average_precision_loop(y, s):
    ap, prev_recall = 0.0, 0.0
    for t in sorted(set(s.tolist()), reverse=True):
        pred = s >= t
        tp = float((pred & (y == 1)).sum())
        p = tp / pred.sum()
        r = tp / (y == 1).sum()
        ap += (r - prev_recall) * p
        prev_recall = r
    return ap


def counts(y, pred):
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    tn = int((~pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    return tp, fp, tn, fn


def best_f1_brute(y, s):
    """Best F1 over thresholds at every score and every midpoint between distinct scores."""
    u = np.unique(s)
    cands = list(u) + list((u[1:] + u[:-1]) / 2)
    best = 0.0
    for t in cands:
        tp, fp, tn, fn = counts(y, s >= t)
        f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
        best = max(best, f)
    return best


def classification_report_text(y, pred, names=None, digits=2):
    # sklearn/metrics/_classification.py classification_report, text branch, zero_division=0
    classes = sorted(set(y.tolist()) | set(pred.tolist()))
    names = names or [str(c) for c in classes]
    rows = []
    for c in classes:
        tp = float(((pred == c) & (y == c)).sum())
        npred = float((pred == c).sum())
        sup = int((y == c).sum())
        p = tp / npred if npred else 0.0
        r = tp / sup if sup else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        rows.append((p, r, f, sup))
    rows = np.array(rows, dtype=float)
    headers = ["precision", "recall", "f1-score", "support"]
    width = max(max(len(n) for n in names), len("weighted avg"), digits)
    head_fmt = "{:>{width}s} " + " {:>9}" * len(headers)
    report = head_fmt.format("", *headers, width=width)
    report += "\n\n"
    row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    for name, row in zip(names, rows):
        report += row_fmt.format(name, row[0], row[1], row[2], int(row[3]), width=width, digits=digits)
    report += "\n"
    total = int(rows[:, 3].sum())
    acc = float((y == pred).mean())
    row_fmt_accuracy = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n"
    report += row_fmt_accuracy.format("accuracy", "", "", acc, total, width=width, digits=digits)
    macro = rows[:, :3].mean(axis=0)
    weighted = (rows[:, :3] * rows[:, 3:4]).sum(axis=0) / rows[:, 3].sum()
    report += row_fmt.format("macro avg", *macro, total, width=width, digits=digits)
    report += row_fmt.format("weighted avg", *weighted, total, width=width, digits=digits)
    return report


def case(name, y, s, threshold):
    y = np.asarray(y, dtype=int)
    s = np.asarray(s, dtype=float)
    tp, fp, tn, fn = counts(y, s >= threshold)
    fpr, tpr = roc_points(y, s)
    pred = (s >= threshold).astype(int)
    return {
        "name": name,
        "labels": y.tolist(),
        "scores": s.tolist(),
        "threshold": threshold,
        "confusion": {"tp": tp, "fp": fp, "tn": tn, "fn": fn},
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0,
        "accuracy": (tp + tn) / len(y),
        "roc_auc": roc_auc_pairs(y, s),
        "roc_fpr": fpr,
        "roc_tpr": tpr,
        "average_precision": average_precision_loop(y, s),
        "best_f1": best_f1_brute(y, s),
        "report": classification_report_text(y, pred),
        "report_named_3digits": classification_report_text(y, pred, ["not_capuchin", "capuchin"], 3)
        if len(set(y.tolist()) | set(pred.tolist())) == 2
        else None,
    }


rng = np.random.default_rng(20240601)
cases = [
    case("hand", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.5),
    case("ties", [0, 1, 0, 1, 1, 0, 0, 1], [0.5, 0.5, 0.2, 0.9, 0.5, 0.2, 0.7, 0.2], 0.5),
    case("all-tied", [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3], 0.3),
]
for n, prevalence in [(60, 0.3), (250, 0.25)]:
    y = (rng.random(n) < prevalence).astype(int)
    s = np.round(np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1), 2)  # rounding makes many ties
    cases.append(case(f"random-{n}", y, s, 0.5))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics.json")
with open(out, "w") as f:
    json.dump({"generator": "make_metrics_fixture.py (numpy " + np.__version__ + ")", "cases": cases}, f, indent=1)
print("wrote", out, len(cases), "cases")

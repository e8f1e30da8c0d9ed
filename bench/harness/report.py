"""Medians over rounds, ratios, bars, and the tables: plain text for the terminal, markdown for docs/benchmarks.md.

Ratios are zoo's figure over the peer's, from the medians over rounds: throughput (items/s, above 1 means zoo is
faster) and latency (median ms per batch, below 1 means zoo is faster). The per-round ratio (the median over
rounds of the ratio within each round, whose runs are back to back) goes into the JSON record too, since load on a
shared machine comes and goes.
"""

from __future__ import annotations

import statistics
from typing import Any

from .runners import ENGINE_NAMES, ENGINES
from .workloads import BARS, Bar

SHORT = {"zoo": "zoo", "ort": "ORT", "ds": "DS"}


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One engine's rounds on one workload: medians of the successful rounds, or the first failure."""
    ok = [r for r in runs if r["ok"]]
    summary: dict[str, Any] = {"rounds": len(runs), "ok_rounds": len(ok)}
    if ok:
        summary["median_ms"] = statistics.median(r["median_ms"] for r in ok)
        summary["items_per_sec"] = statistics.median(r["items_per_sec"] for r in ok)
        summary["per_round_median_ms"] = [r["median_ms"] for r in ok]
    failures = [r["error"] for r in runs if not r["ok"]]
    if failures:
        summary["error"] = failures[0]
    return summary


def ratios(runs: dict[str, list[dict[str, Any]]], summaries: dict[str, dict[str, Any]], peer: str) -> dict[str, float]:
    """zoo over `peer`: throughput and latency from the medians, and the per-round medians of both."""
    zoo, other = summaries.get("zoo", {}), summaries.get(peer, {})
    if "median_ms" not in zoo or "median_ms" not in other:
        return {}
    pairs = [(z, p) for z, p in zip(runs["zoo"], runs[peer]) if z["ok"] and p["ok"]]
    result = {
        "throughput": zoo["items_per_sec"] / other["items_per_sec"],
        "latency": zoo["median_ms"] / other["median_ms"],
    }
    if pairs:
        result["throughput_per_round"] = statistics.median(z["items_per_sec"] / p["items_per_sec"] for z, p in pairs)
        result["latency_per_round"] = statistics.median(z["median_ms"] / p["median_ms"] for z, p in pairs)
    return result


def aggregate(record: dict[str, Any]) -> None:
    """Fill in one workload record's `summary` and `ratios` from its `runs`."""
    runs = record["runs"]
    record["summary"] = {engine: summarise(r) for engine, r in runs.items()}
    record["ratios"] = {peer: ratios(runs, record["summary"], peer) for peer in runs if peer != "zoo" and "zoo" in runs}


def cross_ratio(zoo_record: dict[str, Any], peer_record: dict[str, Any], peer: str, metric: str) -> tuple[float | None, float | None]:
    """zoo on one workload over `peer` on another (same batch): the ratio of medians and the median of per-round ratios."""
    zoo, other = zoo_record["summary"].get("zoo", {}), peer_record["summary"].get(peer, {})
    if "median_ms" not in zoo or "median_ms" not in other:
        return None, None
    key = "items_per_sec" if metric == "throughput" else "median_ms"
    pairs = [(z, p) for z, p in zip(zoo_record["runs"]["zoo"], peer_record["runs"][peer]) if z["ok"] and p["ok"]]
    per_round = statistics.median(z[key] / p[key] for z, p in pairs) if pairs else None
    return zoo[key] / other[key], per_round


def evaluate_bars(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every bar of issues 5 and 8 whose workloads ran: the measured ratio and whether it passes (None if not measurable)."""
    by_key = {f"{r['variant']}:{r['batch']}": r for r in records}
    results = []
    for bar in BARS:
        record, peer_record = by_key.get(bar.key), by_key.get(bar.peer_key)
        if record is None or peer_record is None or "zoo" not in record["runs"] or bar.peer not in peer_record["runs"]:
            continue
        if bar.peer_variant:
            ratio, per_round = cross_ratio(record, peer_record, bar.peer, bar.metric)
        else:
            ratio = record.get("ratios", {}).get(bar.peer, {}).get(bar.metric)
            per_round = record.get("ratios", {}).get(bar.peer, {}).get(f"{bar.metric}_per_round")
        reason = None
        if ratio is None:
            failed = [ENGINE_NAMES[e] for e, r in (("zoo", record), (bar.peer, peer_record))
                      if "error" in r["summary"].get(e, {"error": 1}) and "median_ms" not in r["summary"].get(e, {})]
            reason = (", ".join(failed) + " did not run") if failed else "not measured"
        results.append({"bar": bar.describe(), "variant": bar.variant, "batch": bar.batch, "peer": bar.peer,
                        "metric": bar.metric, "threshold": bar.threshold, "ratio": ratio, "ratio_per_round": per_round,
                        "pass": None if ratio is None else bar.passes(ratio), "reason": reason})
    return results


def _number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def _measured(bar: dict[str, Any]) -> str:
    """A bar's ratio of medians, and the median of the per-round ratios when there is more than one round."""
    text = _ratio(bar["ratio"])
    per_round = bar.get("ratio_per_round")
    return text + (f" (per round {_ratio(per_round)})" if per_round is not None and abs(per_round - bar["ratio"]) > 0.005 else "")


def _cells(record: dict[str, Any], engines: list[str], notes: list[str]) -> list[str]:
    """The figures of one row; a failed engine's cells say "failed [n]" and its reason goes to `notes`."""
    latency, throughput = [], []
    for engine in engines:
        summary = record["summary"].get(engine, {})
        if "median_ms" in summary:
            latency.append(_number(summary["median_ms"]))
            throughput.append(_number(summary["items_per_sec"]))
            if summary["ok_rounds"] < summary["rounds"]:
                notes.append(f"{ENGINE_NAMES[engine]}, {record['variant']} b{record['batch']}: "
                             f"{summary['rounds'] - summary['ok_rounds']} of {summary['rounds']} rounds failed: {summary['error']}")
        else:
            notes.append(f"{ENGINE_NAMES[engine]}, {record['variant']} b{record['batch']}: {summary.get('error', 'not run')}")
            latency.append(f"failed [{len(notes)}]")
            throughput.append(f"failed [{len(notes)}]")
    cells = latency + throughput
    for peer in engines[1:]:
        r = record["ratios"].get(peer, {})
        cells += [_ratio(r.get("throughput")), _ratio(r.get("latency"))]
    busy = [run["others_cpu_before"] for runs in record["runs"].values() for run in runs
            if run.get("others_cpu_before") is not None]
    cells.append(f"{max(busy):.0%}" if busy else "—")
    return cells


def _header(engines: list[str]) -> list[str]:
    header = ["workload", "batch"]
    header += [f"{SHORT[e]} ms" for e in engines] + [f"{SHORT[e]} items/s" for e in engines]
    for peer in engines[1:]:
        header += [f"zoo/{SHORT[peer]} items/s", f"zoo/{SHORT[peer]} ms"]
    return header + ["others' CPU"]


def text_table(records: list[dict[str, Any]], engines: list[str]) -> str:
    """The medians table for the terminal, then the notes on failures."""
    notes: list[str] = []
    rows = [_header(engines)]
    for record in records:
        rows.append([record["variant"], str(record["batch"]), *_cells(record, engines, notes)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
        if n == 0:
            lines.append("-" * len(lines[0]))
    lines += [f"[{i}] {note}" for i, note in enumerate(notes, 1)]
    return "\n".join(lines)


def bars_text(bars: list[dict[str, Any]]) -> str:
    lines = []
    for bar in bars:
        verdict = "n/a " if bar["pass"] is None else ("PASS" if bar["pass"] else "FAIL")
        measured = f"measured {_measured(bar)}" if bar["ratio"] is not None else bar["reason"]
        lines.append(f"  {verdict}  {bar['bar']}: {measured}")
    return "\n".join(lines)


def markdown(records: list[dict[str, Any]], engines: list[str], bars: list[dict[str, Any]], context: dict[str, Any]) -> str:
    """The section for docs/benchmarks.md: run, machine, software, medians table, bars, sparsity, notes."""
    notes: list[str] = []
    header = _header(engines)
    lines = [
        f"Run of {context['date']} ({context['elapsed']}), `{context['command']}`:",
        "",
        f"- Machine: {context['machine_line']}",
        f"- Software: {context['software_line']}",
        f"- Settings: {context['settings_line']}",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|",
    ]
    for record in records:
        lines.append("| " + " | ".join([record["variant"], str(record["batch"]), *_cells(record, engines, notes)]) + " |")
    if bars:
        lines += ["", "| bar (issues 5 and 8) | measured: ratio of medians (median of per-round ratios) | result |", "|---|---:|---|"]
        for bar in bars:
            verdict = "n/a" if bar["pass"] is None else ("**pass**" if bar["pass"] else "**not met**")
            measured = _measured(bar) if bar["ratio"] is not None else bar["reason"]
            lines.append(f"| {bar['bar']} | {measured} | {verdict} |")
    sparsity = sparsity_rows(records)
    if sparsity:
        lines += ["", "| model | weight sparsity (prunable weights) | zoo: layers run sparse | "
                      "DeepSparse: fraction of supported ops | DeepSparse: layers on sparse kernels (mean sparsity; kernels) "
                      "| DeepSparse: naive subgraphs |",
                  "|---|---:|---|---:|---|---:|", *sparsity]
    if notes:
        lines += [""] + [f"[{i}] {note}" for i, note in enumerate(notes, 1)]
    return "\n".join(lines)


def sparsity_rows(records: list[dict[str, Any]]) -> list[str]:
    """One markdown row per model variant: what each engine made of the model and of its zeros."""
    rows, seen = [], set()
    for record in records:
        if record["variant"] in seen:
            continue
        seen.add(record["variant"])
        zoo = next((r["details"] for r in record["runs"].get("zoo", []) if r["ok"]), {})
        zoo_cell = (f"{zoo.get('sparse_layers')} of {zoo.get('weight_layers')}" if zoo.get("weight_layers") is not None
                    else "—")
        ds = next((r["details"] for r in record["runs"].get("ds", []) if r["ok"]), {})
        supported = ds.get("fraction_of_supported_ops")
        supported_cell = "—" if supported is None else f"{supported:.4g}"
        analysis = record.get("ds_analysis") or {}
        if "error" in analysis:
            ds_cell, naive = f"analysis failed: {analysis['error']}", "—"
        elif analysis:
            mean = analysis["sparse_layer_mean_sparsity"]
            kernels = ", ".join(k.removeprefix("ks_") for k in analysis["sparse_kernels"])
            ds_cell = f"{analysis['sparse_layers']}" + (f" ({mean:.1%}; {kernels})" if mean is not None else "")
            naive = str(analysis["naive_subgraphs"])
        else:
            ds_cell, naive = "not analysed (dense)" if not record.get("target_sparsity") else "not analysed", "—"
        prunable = record.get("prunable_sparsity")
        rows.append(f"| {record['variant']} | {_number(prunable, 3) if prunable is not None else '—'} | "
                    f"{zoo_cell} | {supported_cell} | {ds_cell} | {naive} |")
    return rows


def engines_in(records: list[dict[str, Any]]) -> list[str]:
    present = {e for r in records for e in r["runs"]}
    return [e for e in ENGINES if e in present]


__all__ = ["aggregate", "evaluate_bars", "text_table", "bars_text", "markdown", "engines_in", "Bar"]

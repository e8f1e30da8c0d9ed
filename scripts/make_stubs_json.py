#!/usr/bin/env python3
"""Writes stubs.json, the catalog zoo ships, from a list of real SparseZoo stubs (one per line).

Usage: scripts/make_stubs_json.py Tests/ZooStubTests/Fixtures/real_stubs.txt > stubs.json

Each distinct stub body (query strings dropped) becomes one entry with its parsed fields and the
namespace/repo_name of the model it names. Short (v2) stubs are their own repo_name. For long (v1)
stubs the registry's mapping is server-side; the three mappings seen in logs are recorded as
"observed", the rest follow the same renaming rules and are marked "derived".
The Swift tests re-parse every entry and check these fields, so a mistake here cannot ship silently.
"""
import json
import re
import sys

SEG = r"[A-Za-z0-9._]+"
LONG = re.compile(
    rf"^(?P<domain>{SEG})/(?P<sub_domain>{SEG})/(?P<architecture>{SEG})(-(?P<sub_architecture>{SEG}))?"
    rf"/(?P<framework>{SEG})/(?P<repo>{SEG})/(?P<dataset>{SEG})(-(?P<training_scheme>{SEG}))?"
    rf"/(?P<sparse_name>{SEG})(-(?P<sparse_category>{SEG})(-(?P<sparse_target>{SEG}))?)?$"
)
SHORT = re.compile(rf"^{SEG}(-{SEG}){{2,4}}$")

OBSERVED = {  # research/sparsezoo.md §1.3: cache paths seen in logs
    "nlg/text_generation/codegen_mono-350m/pytorch/huggingface/bigpython_bigquery_thepile/base-none":
        "codegen_mono-350m-bigpython_bigquery_thepile-base",
    "nlg/text_generation/opt-1.3b/pytorch/huggingface/opt_pretrain/pruned50_quantW8A8-none":
        "opt-1.3b-opt_pretrain-pruned50_quantW8A8",
    "cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned85_quant-none-vnni":
        "resnet_v1-50-imagenet-pruned85.4block_quantized",
}

DOMAINS = {  # domain and task of short-form stubs, by architecture
    "bert": ("nlp", None), "biobert": ("nlp", "token_classification"), "distilbert": ("nlp", None),
    "mobilebert": ("nlp", None), "llama2": ("nlg", "text_generation"), "mistral": ("nlg", "text_generation"),
    "mpt": ("nlg", "text_generation"), "opt": ("nlg", "text_generation"),
    "resnet_v1": ("cv", "classification"), "mobilenet_v2": ("cv", "classification"),
    "yolov5": ("cv", "detection"), "yolov8": ("cv", "detection"),
}


def v2_tag(name, category, target):
    """The v2 spelling of a v1 sparse tag: pruned85_quant-none-vnni -> pruned85.4block_quantized."""
    words = name.split("_")
    if target == "vnni":
        words[0] = words[0] + ".4block"
    if words[-1] == "quant":
        words[-1] = "quantized"
    tag = "_".join(words)
    if category and category != "none":
        tag += "_" + category
    return tag


def long_entry(body, m):
    f = {k: m.group(k) for k in ("domain", "sub_domain", "architecture", "sub_architecture", "framework", "repo",
                                 "dataset", "training_scheme", "sparse_name", "sparse_category", "sparse_target")}
    if body in OBSERVED:
        repo_name, source = OBSERVED[body], "observed"
    else:
        arch = f["architecture"] + (f"-{f['sub_architecture']}" if f["sub_architecture"] else "")
        repo_name = f"{arch}-{f['dataset']}-{v2_tag(f['sparse_name'], f['sparse_category'], f['sparse_target'])}"
        source = "derived"
    return {"stub": "zoo:" + body, "form": "long", "namespace": "neuralmagic", "repo_name": repo_name,
            "repo_name_source": source, "fields": f}


def short_entry(body):
    parts = body.split("-")
    tag = parts.pop()
    arch = parts[0]
    sub = parts[1] if len(parts) >= 3 else None
    fields = {"architecture": arch, "sub_architecture": sub, "source_dataset": parts[2 if sub else 1],
              "training_dataset": parts[3] if len(parts) == 4 else None, "sparse_tag": tag}
    entry = {"stub": "zoo:" + body, "form": "short", "namespace": "neuralmagic", "repo_name": body,
             "repo_name_source": "stub", "fields": fields}
    domain, task = DOMAINS.get(arch, (None, None))
    if domain:
        entry["domain"] = domain
    if task:
        entry["task"] = task
    return entry


def main(path):
    seen, models = set(), []
    for line in open(path, encoding="utf-8"):
        body = line.strip().removeprefix("zoo:").split("?")[0]
        if not body or body in seen:
            continue
        seen.add(body)
        m = LONG.match(body)
        if m:
            models.append(long_entry(body, m))
        elif SHORT.match(body):
            models.append(short_entry(body))
        else:
            sys.exit(f"not a stub: {line!r}")
    catalog = {"format": "zoo-catalog", "version": 1, "name": "sparsezoo",
               "description": "Real SparseZoo stubs collected from sparsezoo, deepsparse and their documentation.",
               "models": models}
    json.dump(catalog, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])

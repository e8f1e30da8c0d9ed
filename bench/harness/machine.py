"""The machine and software that a benchmark run describes: lscpu, memory, kernel, versions."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from typing import Any

# ISA flags that decide which kernels the engines can use.
RELEVANT_FLAGS = ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx_vnni",
                  "amx_tile", "amx_int8", "amx_bf16"]


def lscpu() -> dict[str, str]:
    """lscpu's fields, in the C locale."""
    try:
        done = subprocess.run(["lscpu"], capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"}, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    fields = {}
    for line in done.stdout.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def _cpu_times() -> tuple[int, int]:
    """(idle, total) jiffies of all CPUs together, from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    return fields[3] + fields[4], sum(fields[:8])  # idle + iowait; user … steal


def cpu_busy(seconds: float = 1.0) -> float | None:
    """The fraction of the whole machine's CPU time that was busy over the next `seconds` (0 to 1), or None.

    Sampled between runs, while the harness itself waits, it is the share that other work takes: on a shared
    machine, the noise that a run is about to meet.
    """
    try:
        idle0, total0 = _cpu_times()
        time.sleep(seconds)
        idle1, total1 = _cpu_times()
    except (OSError, ValueError, IndexError):
        return None
    total = total1 - total0
    return 1 - (idle1 - idle0) / total if total > 0 else None


def wait_for_quiet(limit: float, threshold: float = 0.25, sample: float = 1.0) -> float | None:
    """cpu_busy(), sampled again for up to `limit` seconds while it is above `threshold`; the last sample."""
    busy = cpu_busy(sample)
    deadline = time.monotonic() + limit
    while busy is not None and busy > threshold and time.monotonic() < deadline:
        busy = cpu_busy(sample)
    return busy


def memory_gib() -> float | None:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return None


def describe() -> dict[str, Any]:
    """The machine's description as a dictionary (for the JSON record)."""
    cpu = lscpu()
    flags = set(cpu.get("Flags", "").split())
    return {
        "model_name": cpu.get("Model name", platform.processor() or "unknown"),
        "vendor": cpu.get("Vendor ID"),
        "cpu_family": cpu.get("CPU family"),
        "cpu_model": cpu.get("Model"),
        "cpus": cpu.get("CPU(s)"),
        "threads_per_core": cpu.get("Thread(s) per core"),
        "cores_per_socket": cpu.get("Core(s) per socket"),
        "sockets": cpu.get("Socket(s)"),
        "l1d": cpu.get("L1d cache"),
        "l1i": cpu.get("L1i cache"),
        "l2": cpu.get("L2 cache"),
        "l3": cpu.get("L3 cache"),
        "hypervisor": cpu.get("Hypervisor vendor"),
        "isa_flags": {flag: flag in flags for flag in RELEVANT_FLAGS},
        "memory_gib": memory_gib(),
        "kernel": platform.release(),
    }


def summary_line(machine: dict[str, Any]) -> str:
    """One sentence for docs/benchmarks.md."""
    family = f" (family {machine['cpu_family']}, model {machine['cpu_model']})" if machine.get("cpu_family") else ""
    hypervisor = f", under {machine['hypervisor']}" if machine.get("hypervisor") else ""
    flags = machine.get("isa_flags", {})
    have = ", ".join(f for f, on in flags.items() if on) or "none"
    lacks = ", ".join(f for f, on in flags.items() if not on)
    memory = f", {machine['memory_gib']:.0f} GiB" if machine.get("memory_gib") else ""
    return (f"{machine['model_name']}{family}{hypervisor}: {machine['cpus']} CPUs ({machine['sockets']} socket × "
            f"{machine['cores_per_socket']} cores × {machine['threads_per_core']} thread); L1d {machine['l1d']}, "
            f"L1i {machine['l1i']}, L2 {machine['l2']}, L3 {machine['l3']}{memory}; Linux {machine['kernel']}. "
            f"ISA: {have}" + (f" (not: {lacks})" if lacks else "") + ".")

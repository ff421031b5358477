"""pyarrow side of the writer benchmark (bench/writer-contract-data.ts drives it).

  write  --data DIR --codec snappy|zstd [--level L] [--writes N] --out FILE   time pq.write_table, print JSON
  ipc    --data DIR --out FILE                                    Arrow IPC stream for parquet-wasm
  verify --data DIR FILE...                                       read back, compare, print JSON lines

DIR holds the raw Arrow-layout column buffers dumped by bench/writer-data.ts (dumpColumns),
so the table is built with Array.from_buffers from exactly the bytes the JS writers got.
"""
import argparse
import json
import os
import resource
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq

TYPES = {
    "string": pa.string(),
    "binary": pa.binary(),
    "uint32": pa.uint32(),
    "bool": pa.bool_(),
    "timestamp_us": pa.timestamp("us", tz="UTC"),
    "decimal128": pa.decimal128(38, 0),
}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def load_table(data_dir):
    with open(os.path.join(data_dir, "manifest.json")) as f:
        manifest = json.load(f)
    n = manifest["rows"]
    arrays, fields = [], []
    for c in manifest["columns"]:
        name, kind, nullable, nulls = c["name"], c["kind"], c["nullable"], c["nulls"]
        base = os.path.join(data_dir, name)
        valid = pa.py_buffer(read(base + ".valid")) if nullable else None
        data = pa.py_buffer(read(base + ".data"))
        if kind in ("string", "binary"):
            offsets = pa.py_buffer(read(base + ".offsets"))
            large = pa.large_string() if kind == "string" else pa.large_binary()
            arr = pa.Array.from_buffers(large, n, [valid, offsets, data], null_count=nulls)
            arr = arr.cast(TYPES[kind])
        else:
            arr = pa.Array.from_buffers(TYPES[kind], n, [valid, data], null_count=nulls)
        arr.validate(full=True)
        arrays.append(arr)
        fields.append(pa.field(name, TYPES[kind], nullable=nullable))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def cmd_write(a):
    table = load_table(a.data)
    baseline = peak_rss_mb()
    kwargs = {"compression": a.codec, "row_group_size": 1_000_000}
    if a.level is not None:
        kwargs["compression_level"] = a.level
    # --writes N: N writes in this process; the first is the cold one, the best is kept too.
    times, size, cpu_first = [], 0, 0.0
    for i in range(a.writes):
        sink = pa.BufferOutputStream()
        c0 = time.process_time()
        t0 = time.perf_counter()
        pq.write_table(table, sink, **kwargs)
        buf = sink.getvalue()
        times.append((time.perf_counter() - t0) * 1000)
        if i == 0:
            cpu_first = (time.process_time() - c0) * 1000
            size = buf.size
            with open(a.out, "wb") as f:
                f.write(buf)
        del buf, sink
    meta = pq.read_metadata(a.out)
    out = {
        "writer": "pyarrow", "codec": a.codec, "rows": table.num_rows, "ms": min(times), "firstMs": times[0],
        "times": times, "cpuFirstMs": cpu_first, "bytes": size,
        "rowGroups": meta.num_row_groups, "peakRssMB": peak_rss_mb(), "baselineRssMB": baseline,
    }
    if a.level is not None:
        out["level"] = a.level
    print(json.dumps(out))


def cmd_ipc(a):
    table = load_table(a.data)
    with pa.OSFile(a.out, "wb") as f:
        with pa.ipc.new_stream(f, table.schema) as w:
            w.write_table(table, max_chunksize=65536)


def cmd_verify(a):
    ref = load_table(a.data)
    try:
        import duckdb
    except ImportError:  # optional second reader
        duckdb = None
    for path in a.files:
        res = {"file": path}
        try:
            pf = pq.ParquetFile(path)
            res["rowGroups"] = pf.metadata.num_row_groups
            res["createdBy"] = pf.metadata.created_by
            got = pf.read()
            res["rows"] = got.num_rows
            mismatched = []
            for field in ref.schema:
                want = ref.column(field.name)
                col = got.column(field.name)
                if not col.type.equals(want.type):
                    col = col.cast(want.type)
                if not col.equals(want):
                    mismatched.append(field.name)
            res["equal"] = got.num_rows == ref.num_rows and not mismatched
            if mismatched:
                res["mismatched"] = mismatched
            if duckdb is not None:
                res["duckdbRows"] = duckdb.sql(f"select count(*) from read_parquet('{path}')").fetchone()[0]
        except Exception as e:  # report, keep verifying the others
            res["error"] = f"{type(e).__name__}: {e}"
        print(json.dumps(res), flush=True)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("--data", required=True)
    w.add_argument("--codec", required=True)
    w.add_argument("--level", type=int)
    w.add_argument("--out", required=True)
    w.add_argument("--writes", type=int, default=1)
    i = sub.add_parser("ipc")
    i.add_argument("--data", required=True)
    i.add_argument("--out", required=True)
    v = sub.add_parser("verify")
    v.add_argument("--data", required=True)
    v.add_argument("files", nargs="+")
    a = p.parse_args()
    {"write": cmd_write, "ipc": cmd_ipc, "verify": cmd_verify}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())

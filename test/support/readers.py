"""Long-running reader helper for the round-trip tests.

Protocol (JSON lines): each request line on stdin is {"files": [path, ...], "readers": [...]}
(or {"quit": true}); each response line on stdout is {"results": [...]} with one entry per
file holding what pyarrow, DuckDB and polars (the default readers) read from it, and, when
asked for, "leaves": pyarrow's values per row group and leaf column (read_leaves). Every
reader's failure is reported as {"error": "..."} in its slot, never as a crash of the helper.

Values are encoded losslessly so that the TypeScript side can compare exactly:
  null -> null; bool -> bool; every integer -> decimal string; every float (float16/32/64)
  -> "NaN" or the 16 hex digits of its IEEE-754 float64 bits, big-endian (so -0.0 and
  subnormals survive); strings -> strings; binary -> lowercase hex; decimals -> their
  unscaled integer as a string; timestamps/dates/times/durations -> integer string in the
  Arrow type's unit (dates as day numbers); lists -> arrays; structs -> objects; maps ->
  arrays of [key, value].
"""
import json
import struct
import sys
import traceback

import pyarrow as pa
import pyarrow.parquet as pq
import pyarrow.types as pat


def enc_float(x):
    if x is None:
        return None
    x = float(x)
    if x != x:
        return "NaN"
    return struct.pack(">d", x).hex()


def enc_leaf(arr):
    t = arr.type
    if pat.is_null(t):
        return [None] * len(arr)
    if pat.is_boolean(t):
        return arr.to_pylist()
    if pat.is_integer(t):
        return [None if v is None else str(v) for v in arr.to_pylist()]
    if pat.is_floating(t):
        if pat.is_float16(t):
            arr = arr.cast(pa.float32())
        return [enc_float(v) for v in arr.to_pylist()]
    if pat.is_string(t) or pat.is_large_string(t) or pat.is_string_view(t):
        return arr.to_pylist()
    if pat.is_binary(t) or pat.is_large_binary(t) or pat.is_fixed_size_binary(t) or pat.is_binary_view(t):
        return [None if v is None else v.hex() for v in arr.to_pylist()]
    if pat.is_decimal(t):
        scale = t.scale
        out = []
        for v in arr.to_pylist():
            if v is None:
                out.append(None)
                continue
            sign, digits, exponent = v.as_tuple()
            n = int("".join(map(str, digits)) or "0")
            shift = exponent + scale
            n = n * 10 ** shift if shift >= 0 else n // 10 ** (-shift)
            out.append(str(-n if sign else n))
        return out
    if pat.is_date32(t) or pat.is_time32(t):
        return [None if v is None else str(v) for v in arr.cast(pa.int32()).to_pylist()]
    if pat.is_timestamp(t) or pat.is_date64(t) or pat.is_time64(t) or pat.is_duration(t):
        return [None if v is None else str(v) for v in arr.cast(pa.int64()).to_pylist()]
    raise TypeError("no encoder for arrow type %s" % t)


def enc(arr):
    """Encode one (non-chunked) Arrow array into a list of JSON values."""
    t = arr.type
    if isinstance(t, pa.BaseExtensionType):
        return enc(arr.storage)
    if pat.is_dictionary(t):
        return enc(arr.dictionary_decode())
    valid = arr.is_valid().to_pylist() if arr.null_count else None
    if pat.is_map(t):
        offsets = arr.offsets.to_pylist()
        keys = enc(arr.keys)
        items = enc(arr.items)
        return [
            (None if valid is not None and not valid[i] else
             [[keys[j], items[j]] for j in range(offsets[i], offsets[i + 1])])
            for i in range(len(arr))
        ]
    if pat.is_list(t) or pat.is_large_list(t):
        offsets = arr.offsets.to_pylist()
        values = enc(arr.values)
        return [
            (None if valid is not None and not valid[i] else values[offsets[i]:offsets[i + 1]])
            for i in range(len(arr))
        ]
    if pat.is_fixed_size_list(t) or pat.is_list_view(t) or pat.is_large_list_view(t):
        return enc(arr.cast(pa.list_(t.value_type)))
    if pat.is_struct(t):
        names = [t.field(i).name for i in range(t.num_fields)]
        children = [enc(c) for c in arr.flatten()]
        return [
            (None if valid is not None and not valid[i] else {names[k]: children[k][i] for k in range(len(names))})
            for i in range(len(arr))
        ]
    return enc_leaf(arr)


def tstr(t):
    """A canonical type string: pyarrow's own for leaves; nested types without child
    names (except struct fields) and without nullability, so readers compare alike."""
    if pat.is_map(t):
        return "map<%s, %s>" % (tstr(t.key_type), tstr(t.item_type))
    if pat.is_list(t):
        return "list<%s>" % tstr(t.value_type)
    if pat.is_large_list(t):
        return "large_list<%s>" % tstr(t.value_type)
    if pat.is_struct(t):
        return "struct<%s>" % ", ".join("%s: %s" % (t.field(i).name, tstr(t.field(i).type)) for i in range(t.num_fields))
    if isinstance(t, pa.BaseExtensionType):
        return "extension<%s>" % t.extension_name
    return str(t)


def enc_column(col):
    out = []
    for chunk in col.chunks:
        out.extend(enc(chunk))
    return out


def enc_table(table):
    return {
        "num_rows": table.num_rows,
        "columns": [
            {"name": f.name, "type": tstr(f.type), "values": enc_column(table.column(i))}
            for i, f in enumerate(table.schema)
        ],
    }


def enc_raw(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return enc_float(v)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    if isinstance(v, str):
        return v.encode("utf-8", "surrogatepass").hex()
    return repr(v)


def read_pyarrow(path):
    table = pq.read_table(path, page_checksum_verification=True)
    out = enc_table(table)
    pf = pq.ParquetFile(path, page_checksum_verification=True)
    md = pf.metadata
    kv = md.metadata or {}
    groups = []
    for g in range(md.num_row_groups):
        rg = md.row_group(g)
        cols = []
        for c in range(rg.num_columns):
            cc = rg.column(c)
            st = cc.statistics if cc.is_stats_set else None
            stats = None
            if st is not None:
                stats = {
                    "has_min_max": st.has_min_max,
                    "min_raw": enc_raw(st.min_raw) if st.has_min_max else None,
                    "max_raw": enc_raw(st.max_raw) if st.has_min_max else None,
                    "null_count": st.null_count if st.has_null_count else None,
                    "distinct_count": st.distinct_count if st.has_distinct_count else None,
                }
            cols.append({
                "path": cc.path_in_schema,
                "physical_type": cc.physical_type,
                "compression": cc.compression,
                "encodings": list(cc.encodings),
                "has_dictionary_page": cc.has_dictionary_page,
                "num_values": cc.num_values,
                "total_compressed_size": cc.total_compressed_size,
                "total_uncompressed_size": cc.total_uncompressed_size,
                "statistics": stats,
                "has_column_index": cc.has_column_index,
                "has_offset_index": cc.has_offset_index,
                "bloom_filter_offset": cc.bloom_filter_offset,
                "bloom_filter_length": cc.bloom_filter_length,
            })
        sorting = [
            {"column_index": s.column_index, "descending": s.descending, "nulls_first": s.nulls_first}
            for s in (rg.sorting_columns or ())
        ]
        groups.append({"num_rows": rg.num_rows, "columns": cols, "sorting_columns": sorting})
    # Read every row group separately too, so per-group page checksums are exercised.
    for g in range(md.num_row_groups):
        pf.read_row_group(g)
    out["metadata"] = {
        "created_by": md.created_by,
        "num_rows": md.num_rows,
        "num_row_groups": md.num_row_groups,
        "format_version": md.format_version,
        "key_value_metadata": {k.decode("utf-8"): v.decode("utf-8") for k, v in kv.items()},
        "row_groups": groups,
    }
    return out


def jsonable(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return enc_float(v)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    return str(v)


def query_rows(con, sql, params):
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [{names[i]: jsonable(r[i]) for i in range(len(names))} for r in cur.fetchall()]


_duck = None


def read_duckdb(path):
    global _duck
    import duckdb
    if _duck is None:
        _duck = duckdb.connect()
        # stdout carries the JSON answers: no progress bar (DuckDB prints one for queries slower than 2 s)
        _duck.execute("SET enable_progress_bar = false")
    con = _duck
    res = con.execute("SELECT * FROM read_parquet(?)", [path])
    table = res.to_arrow_table() if hasattr(res, "to_arrow_table") else res.fetch_arrow_table()
    if isinstance(table, pa.RecordBatchReader):
        table = table.read_all()
    out = enc_table(table)
    # DuckDB formats statistics as text here and fails on timestamps it can read but not print
    # (e.g. ns near -2^63); that is reported in place, not as a failure to read the file.
    for key, fn in (("parquet_metadata", "parquet_metadata"), ("parquet_schema", "parquet_schema")):
        try:
            out[key] = query_rows(con, "SELECT * FROM %s(?)" % fn, [path])
        except Exception as e:  # noqa: BLE001
            out[key] = {"error": "%s: %s" % (type(e).__name__, e)}
    return out


def read_polars(path):
    import polars as pl
    df = pl.read_parquet(path)
    out = enc_table(df.to_arrow())
    out["dtypes"] = [str(d) for d in df.dtypes]
    return out


def leaf_keys(arr):
    """A leaf array's values as the conformance check compares them: enc_leaf's encoding, with
    text as the hex of its UTF-8 bytes (bytewise order, and nothing lost on the way)."""
    t = arr.type
    if pat.is_string(t) or pat.is_large_string(t) or pat.is_string_view(t):
        return [None if v is None else v.encode("utf-8", "surrogatepass").hex() for v in arr.to_pylist()]
    return enc_leaf(arr)


def walk_leaves(arr, rows, out):
    """Appends one entry per Parquet leaf column under `arr` (depth-first, the schema's order).
    `rows` holds, per row, the slots of `arr` that row reaches: an index, or None for a level
    entry without a value at this depth (a null or an empty list/map above). Each entry gives,
    per row, how many level entries the row has in the leaf column and its non-null values."""
    t = arr.type
    if isinstance(t, pa.BaseExtensionType):
        return walk_leaves(arr.storage, rows, out)
    if pat.is_dictionary(t):
        return walk_leaves(arr.dictionary_decode(), rows, out)
    valid = arr.is_valid().to_pylist()
    if pat.is_struct(t):
        inner = [[j if j is not None and valid[j] else None for j in row] for row in rows]
        for k in range(t.num_fields):
            walk_leaves(arr.field(k), inner, out)
        return
    if pat.is_map(t) or pat.is_list(t) or pat.is_large_list(t):
        offsets = arr.offsets.to_pylist()
        inner = []
        for row in rows:
            slots = []
            for j in row:
                if j is None or not valid[j] or offsets[j] == offsets[j + 1]:
                    slots.append(None)
                else:
                    slots.extend(range(offsets[j], offsets[j + 1]))
            inner.append(slots)
        if pat.is_map(t):
            walk_leaves(arr.keys, inner, out)
            walk_leaves(arr.items, inner, out)
        else:
            walk_leaves(arr.values, inner, out)
        return
    keys = leaf_keys(arr)
    out.append({
        "levels": [len(row) for row in rows],
        "values": [[keys[j] for j in row if j is not None and valid[j]] for row in rows],
    })


def read_leaves(path):
    """The leaf values pyarrow reads, per row group and leaf column (see walk_leaves), for the
    statistics and page-count checks of the conformance check."""
    pf = pq.ParquetFile(path)
    groups = []
    for g in range(pf.metadata.num_row_groups):
        table = pf.read_row_group(g)
        cols = []
        for i in range(table.num_columns):
            arr = table.column(i).combine_chunks()
            walk_leaves(arr, [[j] for j in range(len(arr))], cols)
        groups.append(cols)
    return {"row_groups": groups}


READERS = {"pyarrow": read_pyarrow, "duckdb": read_duckdb, "polars": read_polars, "leaves": read_leaves}
DEFAULT_READERS = ["pyarrow", "duckdb", "polars"]


def read_file(path, readers):
    result = {"path": path}
    for name in readers:
        try:
            result[name] = READERS[name](path)
        except BaseException as e:  # noqa: BLE001 -- every failure (incl. polars panics) is reported
            result[name] = {"error": "%s: %s" % (type(e).__name__, e), "trace": traceback.format_exc(limit=3)}
    return result


def main():
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        if req.get("quit"):
            break
        readers = req.get("readers") or DEFAULT_READERS
        results = [read_file(p, readers) for p in req["files"]]
        out.write(json.dumps({"id": req.get("id"), "results": results}, allow_nan=False) + "\n")
        out.flush()


if __name__ == "__main__":
    main()

"""A Parquet file read from untrusted bytes, never decoded into more memory than a table may take.

Parquet pages are encoded (dictionaries, run lengths) and then compressed, so a file of a few hundred
kilobytes can hold five million copies of a kilobyte-long string, or forty million zeros: 5 GB and
320 MB once read. Neither the file's size nor the sizes its metadata declares (those of the encoded
pages) bound that. So before anything is decoded:
- every column must be flat: fixed-width (numbers, dates, flags), which take rows × width, or text;
- text columns are read as dictionaries (about their encoded size), and what decoding them takes is
  summed from the lengths of the dictionary's values before it is done.
Over the limit in all, the file is refused (file-too-large) and the caller reads nothing of it.
"""

from __future__ import annotations

import pyarrow as pa  # only the package check and the generated-files check read Parquet: both import pyarrow anyway
import pyarrow.compute as pc
import pyarrow.parquet as pq

from commdata.package.gate.files import MAX_TABLE_BYTES, GateError


def parquet_table(data: bytes, limit: int = MAX_TABLE_BYTES) -> pa.Table:
    """The table the Parquet file ``data`` holds, with the file's own column types. GateError
    (file-too-large) when decoding it would take more than ``limit`` bytes, or (table-unreadable) when a
    column is not flat. A corrupt file raises what pyarrow raises (ArrowException, OSError, ValueError)."""
    file = pq.ParquetFile(pa.BufferReader(data))
    schema, metadata = file.schema_arrow, file.metadata
    rows = max(metadata.num_rows, sum(metadata.row_group(group).num_rows for group in range(metadata.num_row_groups)))
    text = [field.name for field in schema if _is_text(_values_type(field.type))]
    size = sum(_fixed_bytes(field, rows) for field in schema if field.name not in text)
    _within(size, limit, rows)
    table = pq.ParquetFile(pa.BufferReader(data), read_dictionary=text).read()
    size += sum(_text_bytes(table.column(name)) for name in text)
    _within(size, limit, rows)
    return table.cast(schema)  # the text columns decoded, now that their size is known


def _values_type(kind: pa.DataType) -> pa.DataType:
    return kind.value_type if pa.types.is_dictionary(kind) else kind


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_binary(kind) \
        or pa.types.is_large_binary(kind)


def _fixed_bytes(field: pa.Field, rows: int) -> int:
    """What a fixed-width column of ``rows`` values takes, with its validity bitmap."""
    kind = _values_type(field.type)
    try:
        width = kind.bit_width
    except ValueError:  # lists, structs, maps: no table of a package holds one
        raise GateError("table-unreadable", f"column {field.name} is of type {kind}: a package's tables hold "
                        "numbers, dates, flags and text only") from None
    return (rows * width + 7) // 8 + (rows + 7) // 8


def _text_bytes(column: pa.ChunkedArray) -> int:
    """What a text column read as a dictionary takes once decoded: its values' lengths and offsets."""
    total = 0
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            lengths = pc.binary_length(chunk.dictionary)
            total += (pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0) + 8 * (len(chunk) + 1)
        else:
            total += chunk.nbytes
    return total


def _within(size: int, limit: int, rows: int) -> None:
    if size > limit:
        raise GateError("file-too-large", f"decoding its {rows:,} rows would take {size:,} bytes, over the limit of "
                        f"{limit:,}: a small Parquet file can encode a huge table, and this one is refused unread")

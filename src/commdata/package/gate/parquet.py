"""A Parquet file read from untrusted bytes, never decoded into more memory than a table may take.

Parquet pages are encoded (dictionaries, run lengths) and then compressed, so a file of a few hundred
kilobytes can hold five million copies of a kilobyte-long string, or forty million zeros: 5 GB and
320 MB once read. Neither the file's size nor the page sizes its footer declares bound that. So,
before anything is read, the footer's page sizes (a dictionary may hold values no row uses) are added
to what the rows take: rows × width for fixed-width columns (numbers, dates, flags), and 8 bytes a row
for text, which is read as dictionaries (indices, then offsets). A column of any other type is
refused. Once read, and before it is decoded, text adds the length of each of its values times the
rows that use it. Over the limit at either point, the file is refused (file-too-large) and nothing
more is read. A crafted file whose page headers contradict its footer is not covered.
"""

from __future__ import annotations

from collections import Counter

import pyarrow as pa  # only the package check and the generated-files check read Parquet: both import pyarrow anyway
import pyarrow.compute as pc
import pyarrow.parquet as pq

from commdata.package.gate.files import MAX_TABLE_BYTES, GateError


# A build writes a handful of row groups and a few dozen columns: a footer listing millions would take
# long to read before anything else could be said of it.
MAX_ROW_GROUPS, MAX_COLUMNS = 10_000, 1_000


def parquet_table(data: bytes, limit: int = MAX_TABLE_BYTES) -> pa.Table:
    """The table the Parquet file ``data`` holds, with the file's own column types. GateError
    (file-too-large) when reading it would take more than ``limit`` bytes; (field-mismatch) when a
    column name comes twice; (table-unreadable) when a column is not flat or the footer lists more row
    groups or columns than a package's file holds. A corrupt file raises what pyarrow raises (ArrowException,
    OSError, ValueError)."""
    file = pq.ParquetFile(pa.BufferReader(data))
    schema, metadata = file.schema_arrow, file.metadata
    for count, most, what in ((metadata.num_row_groups, MAX_ROW_GROUPS, "row groups"),
                              (metadata.num_columns, MAX_COLUMNS, "columns")):
        if count > most:
            raise GateError("table-unreadable", f"its footer lists {count:,} {what}, more than {most:,}: no build "
                            "writes that many")
    twice = sorted(name for name, count in Counter(schema.names).items() if count > 1)
    if twice:
        raise GateError("field-mismatch", f"the columns {twice} each come more than once")
    rows = max(metadata.num_rows, sum(metadata.row_group(group).num_rows for group in range(metadata.num_row_groups)))
    text = [field.name for field in schema if _is_text(_values_type(field.type))]
    # Before reading: the pages as the footer sizes them (a dictionary page may hold values no row
    # uses), fixed-width columns at rows × width, text at 4 bytes a row for the dictionary's indices
    # and 4 for the offsets of its decoded values.
    size = _pages(metadata) + sum(_fixed_bytes(field, rows) for field in schema if field.name not in text) \
        + len(text) * (8 * rows + (rows + 7) // 8)
    _within(size, limit, rows)
    table = pq.ParquetFile(pa.BufferReader(data), read_dictionary=text).read()
    size += sum(_text_bytes(table.column(name)) for name in text)  # names are unique: checked above
    _within(size, limit, rows)
    return table.cast(schema)  # the text columns decoded, now that their size is known


def _pages(metadata: pq.FileMetaData) -> int:
    """The uncompressed size of every column chunk, as the footer declares it."""
    return sum(metadata.row_group(group).column(column).total_uncompressed_size
               for group in range(metadata.num_row_groups) for column in range(metadata.num_columns))


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
    """The characters a text column read as a dictionary holds once decoded: each value's length times
    the rows that use it (counted per distinct value, so that counting takes no memory per row)."""
    total = 0.0
    for chunk in column.chunks:
        if not pa.types.is_dictionary(chunk.type):
            total += chunk.nbytes
            continue
        used = pc.value_counts(chunk.indices).drop_null()
        lengths = pc.take(pc.binary_length(chunk.dictionary), used.field("values"))
        total += (pc.sum(pc.multiply(pc.cast(lengths, pa.float64()), pc.cast(used.field("counts"), pa.float64())))
                  .as_py() or 0.0)
    return int(min(total, 2.0**62))  # floats: a hostile sum cannot overflow, and a limit needs no exactness


def _within(size: int, limit: int, rows: int) -> None:
    if size > limit:
        raise GateError("file-too-large", f"decoding its {rows:,} rows would take {size:,} bytes, over the limit of "
                        f"{limit:,}: a small Parquet file can encode a huge table, and this one is refused unread")

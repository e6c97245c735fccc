"""commdata's own rules for a descriptor, beyond the Data Package v2 profile (profile.py): what it
reads, and nothing it would otherwise ignore.

A package is read as its descriptor says, or refused: every property that changes what a file
means and that commdata does not honour (a CSV dialect other than the default, an encoding other
than UTF-8, compression, decimalChar, a date format, maxLength, unique, …) is refused with
``property-unsupported``, never ignored; a resource without a SHA-256 is ``hash-missing``; paths
stay inside the package (files.path_problem); keys name fields that exist; constraints have values
of their field's type; and the CSV and Parquet copies of a table declare the same fields and types
(``twin-type-mismatch``). These rules look at the descriptor only: no file is read here. Every rule
takes any JSON value where it expects an object, so that nothing a descriptor holds can crash them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from commdata.package.gate.files import path_problem

TYPES = ("string", "integer", "number", "date", "boolean")  # the Table Schema types commdata reads
FORMATS = {"csv": ("text/csv",), "parquet": ("application/vnd.apache.parquet", "application/parquet")}
HASH = re.compile(r"^sha256:[0-9a-f]{64}$")
OTHER_HASH = re.compile(r"^(?:(?:md5|sha1|sha512):)?[0-9a-fA-F]+$")
INTEGER_RANGE = (-(2**63), 2**63 - 1)  # int64, the column type of an integer
NUMBER_DIGITS, NUMBER_PLACES = 32, 6  # decimal128(38, 6)
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

# Properties that describe and change nothing a reader takes from the file.
_RESOURCE_METADATA = {"name", "path", "type", "title", "description", "format", "mediatype", "encoding", "bytes",
                      "hash", "schema", "dialect", "sources", "licenses", "homepage", "scheme",
                      "profile", "$schema"}  # the last two: profile.py
_SCHEMA_KEYS = {"fields", "primaryKey", "foreignKeys", "missingValues", "fieldsMatch", "title", "description",
                "profile", "$schema"}  # the last two: profile.py
_FIELD_METADATA = {"name", "type", "title", "description", "example", "rdfType", "constraints", "categories",
                   "categoriesOrdered", "trueValues", "falseValues", "format", "decimalChar", "groupChar",
                   "bareNumber"}
_CONSTRAINTS = {"required", "enum", "pattern", "minimum", "maximum"}
# The CSV dialect commdata reads: the CSV Dialect defaults. A dialect may say so, and nothing else.
_DIALECT = {"header": (True,), "headerRows": ([1],), "delimiter": (",",), "lineTerminator": ("\r\n", "\n"),
            "quoteChar": ('"',), "doubleQuote": (True,), "skipInitialSpace": (False,), "commentRows": ([],)}
# The field properties that change how a cell is read, at the only values commdata reads them with.
_FIELD_DEFAULTS = {"format": ("default",), "decimalChar": (".",), "bareNumber": (True,)}

Add = Callable[..., None]  # add(code, message, resource=None, field=None)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _names(value: Any) -> list[str] | None:
    """A key's field names: a list of strings (or one string, as Table Schema v1 wrote it)."""
    if isinstance(value, str):
        return [value]
    return list(value) if _strings(value) else None


def resource_format(resource: dict[str, Any]) -> str | None:
    """The resource's format: as declared, or from its path's extension when it declares none."""
    declared = resource.get("format")
    if declared is None and isinstance(resource.get("path"), str):
        declared = resource["path"].rsplit(".", 1)[-1] if "." in resource["path"] else None
    return declared if isinstance(declared, str) and declared in FORMATS else None


def table_stem(resource: dict[str, Any]) -> str | None:
    """What the CSV and Parquet copies of one table share: the path without its extension."""
    path = resource.get("path")
    return re.sub(r"\.(csv|parquet)$", "", path) if isinstance(path, str) else None


def check_rules(descriptor: dict[str, Any], add: Add) -> None:
    """Add a problem for every rule the descriptor breaks."""
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        add("descriptor-invalid", "the descriptor has no list of resources", field="resources")
        return
    if not resources:
        add("descriptor-invalid", "the package has no resources: a Data Package holds at least one", field="resources")
    schemas: dict[str, dict[str, Any]] = {}  # by resource name, where the schema is an object
    names: set[str] = set()
    for index, resource in enumerate(resources):
        where = f"resources.{index}"
        if not isinstance(resource, dict):
            add("descriptor-invalid", "a resource must be an object", field=where)
            continue
        name = resource.get("name")
        if not isinstance(name, str) or not name:
            add("descriptor-invalid", "a resource needs a name (a string)", field=f"{where}.name")
            name = where
        elif name in names:
            add("descriptor-invalid", f"resource name {name!r} is used twice", name, "name")
        names.add(name)
        schema = _check_resource(resource, name, add)
        if schema is not None:
            schemas[name] = schema
    for name, schema in schemas.items():
        _check_keys(name, schema, schemas, add)
    _check_twins(resources, schemas, add)


def _check_resource(resource: dict[str, Any], name: str, add: Add) -> dict[str, Any] | None:
    """The resource's own properties; its schema when it is an object whose fields can be read."""
    for key in sorted(set(resource) - _RESOURCE_METADATA):
        what = {"data": "inline data", "compression": "compressed files", "profile": "a v1 profile"}.get(key)
        add("property-unsupported", f"{key!r} is not read by commdata" + (f" ({what})" if what else "")
            + ": refused rather than ignored", name, key)
    path = resource.get("path")
    if isinstance(path, list):
        add("property-unsupported", "a path list (a multipart resource) is not read by commdata", name, "path")
    else:
        problem = path_problem(path)
        if problem is not None:
            add(problem[0], f"path {path!r} {problem[1]}" if isinstance(path, str) else f"path {problem[1]}",
                name, "path")
    fmt = resource_format(resource)
    if fmt is None:
        add("property-unsupported", f"format {resource.get('format')!r}: commdata reads csv and parquet", name, "format")
    if resource.get("type", "table") != "table":
        add("property-unsupported", f"type {resource.get('type')!r}: commdata reads table resources", name, "type")
    if resource.get("scheme", "file") != "file":
        add("property-unsupported", f"scheme {resource.get('scheme')!r}: commdata reads files", name, "scheme")
    mediatype = resource.get("mediatype")
    if mediatype is not None and fmt is not None and (
            not isinstance(mediatype, str) or mediatype.split(";")[0].strip() not in FORMATS[fmt]):
        add("property-unsupported", f"mediatype {mediatype!r} is not that of {fmt}", name, "mediatype")
    encoding = resource.get("encoding")
    if encoding is not None and (not isinstance(encoding, str) or encoding.lower().replace("_", "-") not in
                                 ("utf-8", "utf8")):
        add("property-unsupported", f"encoding {encoding!r}: commdata reads UTF-8 only", name, "encoding")
    _check_dialect(resource.get("dialect"), fmt, name, add)
    _check_hash(resource, name, add)
    size = resource.get("bytes")
    if "bytes" in resource and not (isinstance(size, int) and not isinstance(size, bool) and size >= 0):
        add("descriptor-invalid", f"bytes {size!r} is not a count of bytes", name, "bytes")
    schema = resource.get("schema")
    if isinstance(schema, str):
        add("property-unsupported", "a schema in another file is not read by commdata: put it in the descriptor",
            name, "schema")
        return None
    if not isinstance(schema, dict):
        add("descriptor-invalid", "a table resource needs a schema (an object with fields)", name, "schema")
        return None
    return schema if _check_schema(schema, name, add) else None


def _check_dialect(dialect: Any, fmt: str | None, name: str, add: Add) -> None:
    if dialect is None:
        return
    if not isinstance(dialect, dict):
        add("property-unsupported", "a dialect in another file is not read by commdata", name, "dialect")
        return
    for key, value in dialect.items():
        if key in ("profile", "$schema"):
            continue  # profile.py
        if fmt != "csv" or value not in _DIALECT.get(key, ()):
            add("property-unsupported", f"dialect {key} {value!r}: commdata reads UTF-8 CSV with a header row, "
                "comma-separated, double-quoted, and nothing else", name, f"dialect.{key}")


def _check_hash(resource: dict[str, Any], name: str, add: Add) -> None:
    declared = resource.get("hash")
    if declared is None:
        add("hash-missing", "the resource declares no hash: its file could hold anything", name, "hash")
    elif not isinstance(declared, str):
        add("descriptor-invalid", f"hash {declared!r} is not a string", name, "hash")
    elif not HASH.match(declared):
        if OTHER_HASH.match(declared):
            add("property-unsupported", f"hash {declared!r}: commdata checks sha256:<64 hex digits> only", name, "hash")
        else:
            add("descriptor-invalid", f"hash {declared!r} is not sha256:<64 lowercase hex digits>", name, "hash")


def _check_schema(schema: dict[str, Any], name: str, add: Add) -> bool:
    """The schema's own properties and its fields; whether its fields can be read (each an object with
    a name and a type commdata reads, and names unique)."""
    for key in sorted(set(schema) - _SCHEMA_KEYS):
        add("property-unsupported", f"schema property {key!r} is not read by commdata: refused rather than ignored",
            name, f"schema.{key}")
    if schema.get("fieldsMatch", "exact") != "exact":
        add("property-unsupported", f"fieldsMatch {schema.get('fieldsMatch')!r}: commdata reads files whose columns "
            "are exactly the fields", name, "schema.fieldsMatch")
    missing_values = schema.get("missingValues", [""])
    if not _strings(missing_values):
        add("property-unsupported" if isinstance(missing_values, list) else "descriptor-invalid",
            "missingValues must be a list of strings", name, "schema.missingValues")
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        add("descriptor-invalid", "the schema needs a list of fields", name, "schema.fields")
        return False
    readable, seen = True, set()
    for index, field in enumerate(fields):
        if not isinstance(field, dict) or not isinstance(field.get("name"), str) or not field["name"]:
            add("descriptor-invalid", f"field {index} needs a name (a string)", name, f"schema.fields.{index}")
            readable = False
            continue
        if field["name"] in seen:
            add("descriptor-invalid", f"field name {field['name']!r} is used twice", name, field["name"])
            readable = False
        seen.add(field["name"])
        readable = _check_field(field, name, add) and readable
    return readable


def _check_field(field: dict[str, Any], name: str, add: Add) -> bool:
    """One field's properties and constraints; whether its type is one commdata reads."""
    label = field["name"]
    kind = field.get("type", "any")
    for key in sorted(set(field) - _FIELD_METADATA):
        add("property-unsupported", f"field property {key!r} is not read by commdata: refused rather than ignored",
            name, label)
    if not isinstance(kind, str):
        add("descriptor-invalid", f"type {kind!r} is not a type name", name, label)
        return False
    if kind not in TYPES:
        add("property-unsupported", f"type {kind!r}: commdata reads {', '.join(TYPES)}", name, label)
        return False
    for key, values in _FIELD_DEFAULTS.items():
        if key in field and field[key] not in values:
            add("property-unsupported", f"{key} {field[key]!r}: commdata reads the default ({values[0]!r}) only",
                name, label)
    if "groupChar" in field:
        add("property-unsupported", f"groupChar {field['groupChar']!r}: commdata reads numbers without one",
            name, label)
    for key in ("trueValues", "falseValues"):
        if key in field and (kind != "boolean" or not _strings(field[key])):
            add("property-unsupported" if kind != "boolean" else "descriptor-invalid",
                f"{key} must be a list of strings, on a boolean field", name, label)
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict):
        add("descriptor-invalid", "constraints must be an object", name, label)
        return True
    for key in sorted(set(constraints) - _CONSTRAINTS):
        add("property-unsupported", f"constraint {key!r} is not checked by commdata: refused rather than ignored",
            name, label)
    if "required" in constraints and not isinstance(constraints["required"], bool):
        add("descriptor-invalid", f"required {constraints['required']!r} is not true or false", name, label)
    _check_enum(field, kind, constraints, name, add)
    pattern = constraints.get("pattern")
    if "pattern" in constraints:
        if kind != "string" or not isinstance(pattern, str):
            add("descriptor-invalid", "a pattern is a regular expression (a string) on a string field", name, label)
        else:
            try:
                re.compile(pattern)
            except (re.error, RecursionError, OverflowError) as error:
                add("descriptor-invalid", f"pattern {pattern[:80]!r} is not a regular expression: {error}", name, label)
    for key in ("minimum", "maximum"):
        if key in constraints and limit_value(kind, constraints[key]) is None:
            add("descriptor-invalid", f"{key} {constraints[key]!r} is not a value of a {kind} field that commdata "
                "can compare with", name, label)
    return True


def _check_enum(field: dict[str, Any], kind: str, constraints: dict[str, Any], name: str, add: Add) -> None:
    label, enum = field["name"], constraints.get("enum")
    if "enum" in constraints:
        if kind != "string":
            add("property-unsupported", f"enum on a {kind} field is not checked by commdata", name, label)
        elif not _strings(enum) or not enum:
            add("descriptor-invalid", "enum must be a non-empty list of strings on a string field", name, label)
    if "categories" in field:
        categories = field["categories"]
        values = [item.get("value") if isinstance(item, dict) else item for item in categories] \
            if isinstance(categories, list) else None
        if values != enum:
            add("property-unsupported", "categories are checked as constraints.enum: they must list the same values",
                name, label)


def limit_value(kind: str, value: Any) -> int | Decimal | date | None:
    """A minimum or maximum as a value of the field's column type, or None when it is not one."""
    if kind == "integer":
        return value if _is_int(value) and INTEGER_RANGE[0] <= value <= INTEGER_RANGE[1] else None
    if kind == "number":
        if not (_is_int(value) or isinstance(value, float)) or isinstance(value, float) and not math.isfinite(value):
            return None
        try:
            number = Decimal(str(value))
            exact = number.quantize(Decimal(1).scaleb(-NUMBER_PLACES))
        except InvalidOperation:
            return None
        return exact if exact == number and abs(exact) < Decimal(10) ** NUMBER_DIGITS else None
    if kind == "date" and isinstance(value, str) and DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _field_types(schema: dict[str, Any]) -> dict[str, str]:
    return {field["name"]: field.get("type", "any") for field in schema["fields"]}


def _check_keys(name: str, schema: dict[str, Any], schemas: dict[str, dict[str, Any]], add: Add) -> None:
    """The primary key and foreign keys name fields that exist; a foreign key's fields have the type of
    the fields it references."""
    types = _field_types(schema)
    if "primaryKey" in schema:
        key = _names(schema["primaryKey"])
        if key is None or not key:
            add("descriptor-invalid", "primaryKey must be a list of field names", name, "schema.primaryKey")
        else:
            for field in key:
                if field not in types:
                    add("descriptor-invalid", f"primaryKey names {field!r}, which is not a field", name,
                        "schema.primaryKey")
    foreign_keys = schema.get("foreignKeys", [])
    if not isinstance(foreign_keys, list):
        add("descriptor-invalid", "foreignKeys must be a list", name, "schema.foreignKeys")
        return
    for index, foreign_key in enumerate(foreign_keys):
        where = f"schema.foreignKeys.{index}"
        reference = foreign_key.get("reference") if isinstance(foreign_key, dict) else None
        fields = _names(foreign_key.get("fields")) if isinstance(foreign_key, dict) else None
        referenced = _names(reference.get("fields")) if isinstance(reference, dict) else None
        if fields is None or referenced is None or not isinstance(reference, dict):
            add("descriptor-invalid", "a foreign key needs fields and a reference with fields", name, where)
            continue
        target = reference.get("resource", "") or name  # none or "": the resource itself
        if not isinstance(target, str) or target not in schemas:
            add("descriptor-invalid", f"the foreign key references {target!r}, which is not a readable resource "
                "of the package", name, where)
            continue
        if len(fields) != 1 or len(referenced) != 1:
            add("property-unsupported", "commdata checks foreign keys of one field", name, where)
            continue
        target_types = _field_types(schemas[target])
        if fields[0] not in types or referenced[0] not in target_types:
            missing = fields[0] if fields[0] not in types else f"{target}.{referenced[0]}"
            add("descriptor-invalid", f"the foreign key names {missing!r}, which is not a field", name, where)
        elif types[fields[0]] != target_types[referenced[0]]:
            add("descriptor-invalid", f"the foreign key's field {fields[0]} is {types[fields[0]]}, the field it "
                f"references ({target}.{referenced[0]}) {target_types[referenced[0]]}", name, where)


def _check_twins(resources: list[Any], schemas: dict[str, dict[str, Any]], add: Add) -> None:
    """The CSV and the Parquet copy of a table (same path but for the extension) declare the same fields,
    in the same order, of the same types."""
    by_stem: dict[str, dict[str, str]] = {}
    for resource in resources:
        if isinstance(resource, dict) and isinstance(resource.get("name"), str) and resource["name"] in schemas:
            stem, fmt = table_stem(resource), resource_format(resource)
            if stem is not None and fmt is not None:
                by_stem.setdefault(stem, {})[fmt] = resource["name"]
    for stem, names in sorted(by_stem.items()):
        if len(names) != 2:
            continue
        csv_fields, parquet_fields = (_field_types(schemas[names[fmt]]) for fmt in ("csv", "parquet"))
        if list(csv_fields) != list(parquet_fields):
            add("twin-type-mismatch", f"{names['csv']} declares the fields {list(csv_fields)}, {names['parquet']} "
                f"{list(parquet_fields)}: both copies of {stem} hold one table", names["csv"], "schema.fields")
            continue
        for field, kind in csv_fields.items():
            if parquet_fields[field] != kind:
                add("twin-type-mismatch", f"{field} is {kind} in {names['csv']} and {parquet_fields[field]} in "
                    f"{names['parquet']}: both copies of {stem} hold one table", names["csv"], field)

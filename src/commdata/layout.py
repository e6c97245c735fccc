"""Where things are: every file and folder name commdata reads or writes, in one place.

A project (a repository of records) holds its records under DATA_DIR, its generated JSON Schemas
under SCHEMAS_DIR and its published package at the top (DESCRIPTOR_PATH and TABLES_DIR). A data
folder (DATA_DIR of a project, or any folder holding MEETINGS_DIR) holds the curated files. A built
package is DESCRIPTOR_PATH and the files under TABLES_DIR. A release folder adds the files named
RELEASE_*.
"""

from __future__ import annotations

# The repository (also in pyproject.toml's [project.urls]; a test holds the two and the docs together)
REPOSITORY = "https://github.com/commdata/commdata"

# A project
DATA_DIR = "data"
SCHEMAS_DIR = "schemas"
DOCS_DIR = "docs"
CHANGELOG = "CHANGELOG.md"
CITATION = "CITATION.cff"
DIST_DIR = "dist"  # where releases are written unless told otherwise

# A data folder
MEETINGS_DIR = "meetings"
SOURCES_DIR = "sources"
PACKAGE_INFO = "package.yaml"
INDICATORS_FILE = "indicators.yaml"
TOMBSTONES_FILE = "tombstones.yaml"
RELEASES_DIR = "releases"  # one manifest per release: releases/X.Y.Z.json

# A package
DESCRIPTOR_PATH = "datapackage.json"
TABLES_DIR = "data/tables"
PARTITIONED_DIR = f"{TABLES_DIR}/parquet-partitioned"
WRITER_PREFIX = ".commdata-"  # the atomic writer's working folders inside a package folder; never part of it

# Generated docs of a project (docs/cli.md, the CLI reference, is written by the CLI itself)
CODEBOOK_DOC = f"{DOCS_DIR}/codebook.md"
ERROR_CODES_DOC = f"{DOCS_DIR}/error-codes.md"
CLI_REFERENCE_DOC = f"{DOCS_DIR}/cli.md"

# A release folder, beside the package
RELEASE_README = "README.md"
RELEASE_CODEBOOK = "CODEBOOK.md"
RELEASE_PAGE = "index.html"
RELEASE_DUCKDB_SCRIPT = "load.duckdb.sql"
CHECKSUMS = "SHA256SUMS"

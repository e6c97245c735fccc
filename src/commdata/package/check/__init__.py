"""The check of a built package (run.py), split by what it looks at: the descriptor, each resource as
read, its constraints, the relations across tables and the partitioned copy."""

from commdata.package.check.report import PackageReport
from commdata.package.check.run import check_package

__all__ = ["PackageReport", "check_package"]

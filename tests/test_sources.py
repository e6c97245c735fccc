import hashlib
from pathlib import Path

import pytest

from commdata.domain.sources import CANONICAL_FORM, SourceText, canonical_text

from conftest import HOHHOT, HOHHOT_SOURCE


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("于 2023年 12\n月 28日召开", "于2023年12月28日召开"),  # spaces and a line break inside a date
        ("第\n\n七次全体会议", "第七次全体会议"),  # blank lines inside a sentence
        ("新增创新平台 20 个", "新增创新平台20个"),
        ("新增城镇就业 1.3万\n\n人以上", "新增城镇就业1.3万人以上"),
        ("economic work\nconference", "economic work conference"),  # ASCII words keep one space
        ("12 000", "12 000"),  # two ASCII digits keep their separation
        ("全角\u3000空格\t和制表符", "全角空格和制表符"),
        ("\ufeff 开头", "开头"),  # BOM and leading space
        ("e\u0301", "\u00e9"),  # NFC
    ],
)
def test_canonical_text(raw: str, canonical: str) -> None:
    assert canonical_text(raw) == canonical


def test_canonical_text_is_idempotent() -> None:
    raw = " 中国共产党\n\n呼和浩特市 2023年\n12月 28日 work\nday "
    once = canonical_text(raw)
    assert canonical_text(once) == once


def test_source_text_hashes_bytes_and_canonical_text(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes("全会 于 2024年\n召开".encode())
    source = SourceText.read(path)
    assert source.text == "全会于2024年召开"
    assert source.sha256 == hashlib.sha256("全会 于 2024年\n召开".encode()).hexdigest()
    assert source.canonical_sha256 == hashlib.sha256("全会于2024年召开".encode()).hexdigest()
    assert CANONICAL_FORM == "commdata-canonical-v1"


def test_the_fixture_source_is_the_shared_original() -> None:
    here = Path(__file__).resolve().parents[1]
    original = here.parent / "shared" / "sources" / "hohhot-cpc-c13-p07-communique.txt"
    copy = HOHHOT / HOHHOT_SOURCE
    if original.exists():  # shared/ sits beside the repository in CI and in development
        assert copy.read_bytes() == original.read_bytes()
    assert SourceText.read(copy).sha256 == "b87ea0fbeeadacefca205cfb8020d9ad221976715cda2ea6dae3ef8d78a8dec4"

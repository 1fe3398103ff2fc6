"""`model.clean_columns` (the vectorised cleaning of csv and xlsx columns) gives exactly what
`names.clean_text` gives one cell at a time, and counts the cells that held control characters."""
from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders import model
from loaders.model import clean_columns, fold_full_width
from loaders.names import CONTROL_CHARS, NFKC_STABLE_CLASS, clean_text

# Characters that make cleaning do something, mixed into ordinary Chinese text.
_SPECIAL = " \t\n\r\x00\x07\x0b\x0c\x1f\x7f\u3000\u00a0\u2028\u0085\u1680\u2003ＡＢ１２（）、，。：《》ﾊﾟ①㈱ḿ\u0301"
cells = st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from("郑州公租房配租结果abc123-/_年月日" + _SPECIAL),
                                             max_size=12), st.text(max_size=8)), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(cells, cells)
def test_clean_columns_agrees_with_clean_text_cell_by_cell(first: list[str | None], second: list[str | None]) -> None:
    out, removed = clean_columns([pa.array(first, pa.string()), pa.chunked_array([pa.array(second, pa.string())])])
    assert out[0].to_pylist() == [clean_text(v) for v in first]
    assert out[1].to_pylist() == [clean_text(v) for v in second]
    control = re.compile(CONTROL_CHARS)
    assert removed == sum(1 for v in first + second if v is not None and control.search(v))


def test_a_character_newer_than_pythons_unicode_is_cleaned_as_clean_text_cleans_it() -> None:
    # Found by the test above: U+1DFCD is new in Unicode 15; Python 3.11's unicodedata (14.0) does
    # not know it and NFKC leaves it, while Arrow's utf8_normalize (a newer Unicode) makes it U+1DF57.
    # Such cells go through clean_text, beside ordinary NFKC cells that stay on Arrow's path.
    texts = ["\U0001dfcd", " 郑州\U0001dfcd ", "①号楼", "\U0001dfcd\x07①", "ＡＢ\U000e0101", "\U0003134a"]
    out, removed = clean_columns([pa.array(texts, pa.string())])
    assert out[0].to_pylist() == [clean_text(t) for t in texts]
    assert out[0].to_pylist()[:3] == ["\U0001dfcd", "郑州\U0001dfcd", "1号楼"] and removed == 1


def test_a_cell_with_only_stable_characters_and_no_edge_space_is_left_as_it_is() -> None:
    # Every character the fast path trusts (NFKC leaves it alone, it is no whitespace) really is
    # unchanged by clean_text, at the start, inside and at the end of a cell.
    chars = pa.array([chr(c) for c in range(0x20, 0x10000) if not 0xD800 <= c < 0xE000], pa.string())
    stable = pc.filter(chars, pc.invert(pc.match_substring_regex(chars, NFKC_STABLE_CLASS))).to_pylist()  # RE2
    assert len(stable) > 20_000
    texts = [f"{c}郑{c}州{c}" if c != " " else "郑 州" for c in stable]
    out, removed = clean_columns([pa.array(texts, pa.string())])
    assert out[0].to_pylist() == [clean_text(t) for t in texts] == texts and removed == 0


_FULL = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
_FOLD = str.maketrans(_FULL, "".join(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)) + " ")
# Neighbours of the folded ranges share their leading UTF-8 bytes (EF BC 80, EF BD 9F, EF BF A5,
# E3 80 81): they must be left alone.
folded_cells = st.lists(st.text(alphabet=st.sampled_from(_FULL + "\uff00\uff5f\uffe5\u3001\u3002郑州ab 1\u00e9"),
                                max_size=10), min_size=1, max_size=30)


@settings(max_examples=200, deadline=None)
@given(folded_cells, st.integers(min_value=0, max_value=5))
def test_fold_full_width_is_the_half_width_translation_of_every_cell(texts: list[str], skip: int) -> None:
    array = pa.array(["＃前缀"] * skip + texts, pa.string()).slice(skip)  # an array not starting at offset 0
    assert fold_full_width(array).to_pylist() == [t.translate(_FOLD) for t in texts]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from("公租房配租/年月日12" + _SPECIAL), max_size=8)),
                min_size=1, max_size=20), st.integers(min_value=0, max_value=2**31))
def test_a_long_column_of_few_texts_is_cleaned_cell_by_cell_too(texts: list[str | None], seed: int) -> None:
    # 5,000 cells drawn from a few texts: each distinct text is cleaned once (the 所属事项 and date
    # columns of a large log); the cells, and the count of cells with control characters, are
    # those of cleaning every cell.
    column = [texts[(seed + i * 7919) % len(texts)] for i in range(5_000)]
    out, removed = clean_columns([pa.array(column, pa.string())])
    assert out[0].to_pylist() == [clean_text(v) for v in column]
    control = re.compile(CONTROL_CHARS)
    assert removed == sum(1 for v in column if v is not None and control.search(v))


@settings(max_examples=100, deadline=None)
@given(folded_cells, st.sampled_from([1, 2, 5, 16]))
def test_fold_full_width_gives_the_same_cells_in_blocks_of_any_size(texts: list[str], block: int) -> None:
    # A long column is folded a block of whole cells at a time: cut anywhere, the cells are the same.
    array = pa.array(["前缀"] + texts, pa.string()).slice(1)
    expected = [t.translate(_FOLD) for t in texts]
    saved = model._FOLD_BLOCK
    model._FOLD_BLOCK = block
    try:
        assert fold_full_width(array).to_pylist() == expected
    finally:
        model._FOLD_BLOCK = saved


def test_released_columns_are_emptied_and_the_cleaned_ones_share_no_memory_with_them() -> None:
    # csv: DuckDB's batches are freed only with all their columns, so the cleaned columns must
    # not hold on to an unchanged one (the link and date columns of a log).
    texts = [f"https://example.gov.cn/{i}.html" for i in range(6000)]
    titles = [f"关于（第{i}号）的通知" for i in range(6000)]
    dates = ["2023-06-01"] * 6000
    raw = [pa.chunked_array([pa.array(texts[:3000]), pa.array(texts[3000:])]),
           pa.chunked_array([pa.array(titles)]), pa.chunked_array([pa.array(dates)])]
    held = {b.address for col in raw for chunk in col.chunks for b in chunk.buffers() if b is not None}
    kept, _ = clean_columns(list(raw))
    columns = list(raw)
    out, removed = clean_columns(columns, release=True)
    assert columns == [] and removed == 0
    assert [c.to_pylist() for c in out] == [c.to_pylist() for c in kept] == [texts, [clean_text(t) for t in titles], dates]
    assert not any(b is not None and b.address in held for col in out for chunk in col.chunks for b in chunk.buffers())
    # without `release` an unchanged column is returned as it came (no copy)
    assert any(b is not None and b.address in held for chunk in kept[0].chunks for b in chunk.buffers())


def test_the_system_memory_pool_is_used_inside_and_the_previous_one_restored_after() -> None:
    before = pa.default_memory_pool()
    with model.system_memory_pool():
        assert pa.default_memory_pool().backend_name == "system"
        inside = pa.array(["郑州", "金水区"] * 1000)
    assert pa.default_memory_pool().backend_name == before.backend_name
    assert inside.to_pylist()[:2] == ["郑州", "金水区"]  # arrays made inside stay valid after

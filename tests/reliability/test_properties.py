"""Property-based tests (hypothesis) for date parsing and name normalisation (issue #16 item 10)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.dates import parse_dates, parse_one
from loaders.names import district_code, district_lookup, name_key, synonyms

DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
TIMES = st.one_of(st.just(""), st.times().map(lambda t: f" {t.hour}:{t.minute:02d}"),
                  st.times().map(lambda t: f" {t.hour:02d}:{t.minute:02d}:{t.second:02d}"))
# Chinese numerals are left out: 「一、」 at the start of a name is a list number, dropped on purpose.
CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5, exclude_characters="一二三四五六七八九十"),
              min_size=1, max_size=12)
SEPARATORS = st.sampled_from([" ", "　", "\t", "、", "，", "·", "-", "_", "（", "）", "(", ")", "【", "】", "\n"])


def styles(d: dt.date) -> list[str]:
    return [d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}.{d.month}.{d.day}",
            f"{d.year}年{d.month}月{d.day}日", f"{d.year}{d.month:02d}{d.day:02d}", f"{d.year}-{d.month}-{d.day}",
            f" {d.year} 年 {d.month} 月 {d.day} 日 "]


@settings(max_examples=150, deadline=None)
@given(DAYS, TIMES, st.integers(min_value=0, max_value=6))
def test_every_written_style_of_a_date_parses_back_to_it(day: dt.date, time: str, style: int) -> None:
    text = styles(day)[style] + (time if style != 4 or not time else time)
    assert parse_one(text) == day


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1990, max_value=2100), st.integers(min_value=1, max_value=12),
       st.integers(min_value=29, max_value=31))
def test_days_past_the_end_of_the_month_are_impossible_not_moved(year: int, month: int, day: int) -> None:
    try:
        dt.date(year, month, day)
        exists = True
    except ValueError:
        exists = False
    parsed = parse_dates(pd.Series([f"{year}-{month}-{day}"]))
    assert bool(parsed.impossible.iloc[0]) is (not exists)
    assert (parse_one(f"{year}年{month}月{day}日") is None) is (not exists)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=20))
def test_text_without_digits_is_never_a_date(text: str) -> None:
    parsed = parse_dates(pd.Series([text]))
    assert parse_one(text) is None
    assert bool(parsed.bad.iloc[0]) is (text.strip() != "")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(DAYS.map(lambda d: styles(d)[d.toordinal() % 7]), st.text(max_size=8)), max_size=30))
def test_the_vectorised_parser_agrees_with_the_one_value_parser(cells: list[str]) -> None:
    parsed = parse_dates(pd.Series(cells, dtype=object))
    for text, value in zip(cells, parsed.dates):
        one = parse_one(text)
        assert (None if pd.isna(value) else value.date()) == one


@settings(max_examples=150, deadline=None)
@given(CJK, st.lists(SEPARATORS, min_size=1, max_size=5), st.integers(min_value=0, max_value=11))
def test_spaces_and_punctuation_inside_a_name_do_not_change_its_key(name: str, seps: list[str], at: int) -> None:
    cut = at % (len(name) + 1)
    assert name_key(name[:cut] + "".join(seps) + name[cut:]) == name_key(name)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10),
       CJK)
def test_full_width_letters_and_digits_match_half_width(ascii_part: str, cjk: str) -> None:
    full = "".join(chr(ord(c) + 0xFEE0) for c in ascii_part)
    assert name_key(cjk + full) == name_key(cjk + ascii_part)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(synonyms()), CJK, CJK)
def test_a_short_form_matches_its_long_form(pair: tuple[str, str], before: str, after: str) -> None:
    short, long = pair
    assert name_key(before + short + after) == name_key(before + long + after)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=20))
def test_name_key_is_idempotent(text: str) -> None:
    assert name_key(name_key(text)) == name_key(text)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(district_lookup())), st.sampled_from(["", " ", "　", "\t"]),
       st.sampled_from(["", " ", "　", "\n"]))
def test_every_spelling_of_a_unit_resolves_whatever_the_spacing(spelling: str, left: str, right: str) -> None:
    assert district_code(left + spelling + right) == district_lookup()[spelling]

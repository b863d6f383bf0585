import pytest

from sokhcn_site.frontmatter import FrontMatterProblem, decode, split_front_matter
from sokhcn_site.yamlio import load_mapping


def test_fields_body_and_key_lines():
    front = split_front_matter("---\ntitle: Tin\ndate: 2020-01-14\n---\nThân bài\n")
    assert front.fields.data == {"title": "Tin", "date": "2020-01-14"}
    assert front.fields.lines == {"title": 2, "date": 3}
    assert front.body == "Thân bài\n"
    assert front.body_line == 5


def test_dates_stay_strings_so_we_can_check_them():
    front = split_front_matter("---\ndate: 2019-02-30\n---\n")
    assert front.fields.data["date"] == "2019-02-30"


def test_closing_with_three_dots():
    front = split_front_matter("---\ntitle: Tin\n...\nThân\n")
    assert front.fields.data["title"] == "Tin"
    assert front.body == "Thân\n"


def test_byte_order_mark_and_windows_line_endings():
    text = decode("\ufeff---\r\ntitle: Tin\r\n---\r\nA\r\nB\r\n".encode())
    front = split_front_matter(text)
    assert front.fields.data["title"] == "Tin"
    assert front.body == "A\nB\n"


def test_yaml_error_points_at_the_file_line():
    text = "---\ntitle: Tin\ndate: 2020-01-14\nauthor: [không đóng\n---\n"
    with pytest.raises(FrontMatterProblem) as caught:
        split_front_matter(text)
    assert caught.value.line in (4, 5)
    assert "YAML" in caught.value.message


def test_missing_opening_and_closing_fences():
    with pytest.raises(FrontMatterProblem) as caught:
        split_front_matter("title: Tin\n")
    assert caught.value.line == 1
    with pytest.raises(FrontMatterProblem, match="không có dòng '---' đóng lại"):
        split_front_matter("---\ntitle: Tin\n")


def test_duplicate_keys_are_remembered():
    front = split_front_matter("---\ntitle: A\ntitle: B\n---\n")
    assert front.fields.data["title"] == "B"
    assert front.fields.duplicates == (("title", 3),)


def test_values_a_comment_cut_short_are_named_with_the_comments_line():
    text = "title: Hội nghị #3\nsummary: 'quoted # kept'\nauthor: &x A # a note\ndept: *x # n"
    assert load_mapping(text, first_line=2).comments == (("title", 2), ("author", 4))

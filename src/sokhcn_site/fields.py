"""An article's or page's front-matter fields, typed, with every problem they have."""

from __future__ import annotations

import difflib
import unicodedata
from datetime import date, datetime
from typing import Any

from .config import is_web_url
from .dates import DateProblem, format_date, parse_date
from .errors import Diagnostic, error, warning
from .frontmatter import FrontMatter
from .model import SiteConfig, Source
from .slugs import slug_of
from .yamlio import CONTROL_CHARACTERS

# Characters past which a title is more than a headline (a paragraph pasted as the title):
# on a phone it fills the screen, and search engines and feed readers show its start only.
# The department's own headlines reach 243 (content/, 2019-08-21), so the bar is above that.
TITLE_LIMIT = 300
# Fields whose unquoted value a '#' may cut short: free text (see Fields.__init__).
_WORDS_KEYS = frozenset(("title", "author", "department", "summary", "tags"))
CONTROL_FIX = "(thường do dán từ Word hay PDF), đã được bỏ đi; gõ lại chỗ đó cho sạch"


class Fields:
    """Typed access to front-matter fields that records every problem it meets."""

    def __init__(self, source: Source, front: FrontMatter) -> None:
        self.path = source.display
        self.data = front.fields.data
        self.lines = front.fields.lines
        self.written = front.fields.written
        self.problems: list[Diagnostic] = [
            warning(
                self.path,
                line,
                f"khóa '{key}' được khai báo hai lần; giá trị sau được dùng, hãy xóa dòng thừa",
            )
            for key, line in front.fields.duplicates
        ]
        self.problems += [
            warning(
                self.path,
                line,
                f"phần sau dấu '#' của '{key}' bị coi là ghi chú và bị bỏ đi; nếu nó thuộc giá "
                f'trị, đặt cả giá trị trong ngoặc kép, ví dụ `{key}: "Hội nghị lần thứ #3"`',
            )
            for key, line in front.fields.comments
            if key in _WORDS_KEYS  # a date, a flag or a path has no '#': a comment is meant
        ]

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)

    def fail(self, key: str, message: str) -> None:
        self.problems.append(error(self.path, self.line(key), message))

    def warn(self, key: str, message: str) -> None:
        self.problems.append(warning(self.path, self.line(key), message))

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(key, f"thiếu '{key}': thêm dòng `{key}: ...` vào phần đầu bài")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(
                key,
                f"'{key}' phải là một dòng chữ, ví dụ `{key}: Nội dung`; "
                "chữ có dấu ':' hay '[' thì đặt trong ngoặc kép",
            )
            return ""
        if not isinstance(value, str):  # a number: as written (3.10, not 3.1)
            value = self.written.get(key, str(value))
        return self._visible(key, unicodedata.normalize("NFC", value.strip()))

    def title(self) -> str:
        """The required title, with a warning if it is too long for a headline."""
        title = self.text("title", required=True)
        if len(title) > TITLE_LIMIT:
            self.warn("title", f"tiêu đề dài {len(title)} ký tự, quá dài cho một tiêu đề: trên "
                      "điện thoại nó chiếm cả màn hình, máy tìm kiếm chỉ hiện phần đầu; hãy rút "
                      f"gọn còn tối đa {TITLE_LIMIT} ký tự, đưa phần còn lại vào 'summary' hoặc "
                      "nội dung")  # fmt: skip
        return title

    def _visible(self, key: str, text: str) -> str:
        """`text` without the control characters it may have, which a warning names."""
        if CONTROL_CHARACTERS.search(text) is None:
            return text
        self.warn(key, f"'{key}' có ký tự điều khiển vô hình {CONTROL_FIX}")
        return CONTROL_CHARACTERS.sub("", text)

    def date(self, key: str, config: SiteConfig, *, required: bool = False) -> datetime | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.fail(key, "thiếu 'date': thêm dòng `date: 2020-01-14` vào phần đầu bài")
            return None
        try:
            return parse_date(value, config.tz)
        except DateProblem as exc:
            self.fail(key, str(exc))
            return None

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"'{key}' chỉ nhận true hoặc false, ví dụ `{key}: true`")
            return False
        return value

    def check_address(self, key: str, value: str) -> None:
        """Fail a value with "://" that is not an http(s) address (a path in the site has none)."""
        if "://" in value and not is_web_url(value):
            self.fail(key, f"'{key}: {value}' phải là tệp của trang web hoặc một địa chỉ "
                           "https://...; sửa lại địa chỉ hoặc bỏ dòng này")  # fmt: skip

    def tags(self) -> tuple[str, ...]:
        value: Any = self.data.get("tags") or []
        if isinstance(value, str):  # `tags: ISO, đo lường` means two, as a reader sees it
            value = value.split(",")
        if not isinstance(value, list) or not all(isinstance(t, str | int | float) for t in value):
            self.fail("tags", "'tags' phải là danh sách, ví dụ `tags: [ISO, đo lường]`")
            return ()
        tags = (unicodedata.normalize("NFC", str(t).strip()) for t in value if str(t).strip())
        return tuple(self._visible("tags", tag) for tag in tags)

    def unknown_keys(self, known: tuple[str, ...]) -> None:
        for key in self.data:
            if key in known:
                continue
            # A line of text such as `Thời gian: 8h00` is a key to YAML: when the header's
            # closing '---' is missing and the body has one further on (a rule), the body's
            # first lines become keys, and must not vanish with a mere warning.
            if not key.isascii() or any(char.isspace() for char in key):
                self.fail(key, f"'{key}' không phải khóa của phần đầu bài: nếu dòng này là nội "
                               "dung bài viết, phần đầu bài chưa được đóng; thêm một dòng '---' "
                               "ngay sau các dòng title, date...")  # fmt: skip
                continue
            close = difflib.get_close_matches(key, known, n=1)
            hint = (
                f"; có phải ý bạn là '{close[0]}'?"
                if close
                else f"; xóa dòng này hoặc dùng một trong các khóa: {', '.join(known)}"
            )
            self.warn(key, f"khóa '{key}' không được dùng{hint}")

    def slug(self, fallback: str) -> str:
        raw = self.text("slug")
        if raw and ("/" in raw or "\\" in raw or ".." in raw):
            self.fail(
                "slug",
                f"slug '{raw}' không được chứa '/', '\\' hay '..'; chỉ dùng chữ thường không dấu "
                "và dấu '-', ví dụ `slug: hoi-nghi-tong-ket`",
            )
            return ""
        slug = slug_of(raw or fallback)
        if not slug:
            self.fail("slug", "không tạo được slug; thêm `slug: ten-bai-viet` (chữ không dấu)")
        return slug

    def named_date(self, named: date | None, when: datetime | None) -> None:
        """A warning when the date an article's file name starts with (`named`) is not the
        day of its date (`when`): editors read either as the article's date."""
        if named is None or when is None or when.date() == named:
            return
        self.warn("date", f"tên tệp bắt đầu bằng ngày {named.isoformat()} nhưng 'date' là "
                  f"{when.date().isoformat()}: trang dùng ngày trong 'date' để hiện và xếp bài, "
                  "không dùng ngày của tên tệp; hãy sửa cho khớp, sửa 'date' hoặc đổi ngày ở đầu "
                  "tên tệp (địa chỉ bài không đổi theo)")  # fmt: skip

    def doubtful(
        self, config: SiteConfig, category: str, values: dict[str, str],
        date: datetime | None, updated: datetime | None,
    ) -> None:  # fmt: skip
        """Warnings for an article's values that are valid but likely not what was meant."""
        declared = config.declared_category(category)
        if values["category"] and declared and values["category"] != declared:
            self.warn("category", f"'category: {values['category']}' không được dùng: chuyên "
                      f"mục của bài là thư mục '{category}' ({declared}, trong {config.file}); "
                      "muốn đổi chuyên mục thì chuyển tệp sang thư mục của chuyên mục "
                      "kia")  # fmt: skip
        if updated and date and updated < date:  # a page would show it after a later date
            self.warn("updated", f"ngày cập nhật {format_date(updated)} sớm hơn ngày đăng "
                      f"{format_date(date)}; sửa lại 'updated' hoặc bỏ dòng này")  # fmt: skip
        if len(values["summary"]) > config.summary_limit:
            self.warn("summary", f"tóm tắt dài {len(values['summary'])} ký tự, trình đọc tin "
                      f"chỉ hiện khoảng {config.summary_limit} ký tự (summary_limit trong "
                      f"{config.file}); hãy rút gọn")  # fmt: skip

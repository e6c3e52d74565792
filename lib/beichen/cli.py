"""Command-line parsing with Chinese messages: a wrong argument (``make report YEAR=abc``) gets a
refusal in Chinese with the fix, like every other error of the report's commands."""
from __future__ import annotations

import argparse
import sys


def year(text: str) -> int:
    """A four-digit year: “2025” (also “2025年”, full-width digits)."""
    cleaned = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789")).removesuffix("年")
    if not (cleaned.isdigit() and len(cleaned) == 4):
        raise argparse.ArgumentTypeError(f"年份 “{text}” 不是四位数字的年份；请写成 YEAR=2025 这样的形式")
    return int(cleaned)


class ArgumentParser(argparse.ArgumentParser):
    """argparse with its refusals in Chinese (usage text stays as argparse prints it)."""

    def error(self, message: str) -> None:  # noqa: D401 — argparse's hook
        if "required" in message:
            message = f"缺少必需的参数：{message.split(':', 1)[-1].strip()}"
        elif message.startswith("argument ") and ": " in message:
            option, detail = message.removeprefix("argument ").split(": ", 1)
            message = detail if "年份" in detail else f"参数 {option} 不合要求（{detail}）"
        elif "unrecognized arguments" in message:
            message = f"无法识别的参数：{message.split(':', 1)[-1].strip()}"
        sys.stderr.write(f"错误：{message}\n用法：{self.format_usage().removeprefix('usage: ')}")
        sys.exit(2)

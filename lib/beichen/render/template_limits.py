"""Bounded work for the narrative templates: what one passage may compute, and for how long.

A passage is a Jinja2 template written by whoever can edit data/narrative/. Jinja's sandbox keeps it
away from files and modules, but not from the machine's time and memory: ``{{ 9**(9**9) }}`` runs for
ever (at compile time, folded as a constant), ``{{ 'x'*10**8 }}`` takes a gigabyte. Here every way a
template can make work is bounded:

- numbers: no operation of a template yields an integer or float beyond ±MAX_NUMBER, and a power is
  refused *before* it is computed when its result would be;
- sizes: no text, list or mapping a template makes (by ``*``, ``+``, ``~``, ``%``, ``format``, a
  filter or a method of a string) is longer than MAX_TEXT, and each is refused before it is built
  where its size can be known in advance (repetition, padding, widths in format strings);
- steps: loop iterations and calls together at most MAX_STEPS per render (nested loops, recursion);
- time: TIME_LIMIT seconds per render (BEICHEN_RENDER_TIMEOUT), checked at every step and, for work
  between steps, enforced by a watchdog that raises RenderTimeout in the rendering thread.

The rendering thread may be any thread (the build's own, a chapter's kernel): no signal handler is
involved. LimitExceeded and RenderTimeout carry the reason in Chinese; lib/beichen/render/narrative.py adds
the file and the passage.
"""
from __future__ import annotations

import ctypes
import math
import os
import re
import string
import threading
import time
from contextlib import contextmanager
from functools import update_wrapper, wraps

import jinja2.sandbox
from jinja2 import nodes
from jinja2.compiler import CodeGenerator

MAX_NUMBER = 10**15     # far above any figure of the report (亿元, 家, %), far below what takes time to compute
MAX_TEXT = 100_000      # characters or items in any value a template makes, and in its output (passages: ~1 000)
MAX_STEPS = 1_000_000   # loop iterations and calls in one render
TIMEOUT_ENV = "BEICHEN_RENDER_TIMEOUT"
DEFAULT_TIME_LIMIT = 5.0  # seconds; an ordinary passage renders in milliseconds


def time_limit() -> float:
    """Seconds one render may take (BEICHEN_RENDER_TIMEOUT, default 5)."""
    try:
        return float(os.environ.get(TIMEOUT_ENV) or DEFAULT_TIME_LIMIT)
    except ValueError:
        return DEFAULT_TIME_LIMIT


class LimitExceeded(Exception):
    """A template asked for more than a passage may compute (a number, a size, a number of steps)."""


class RenderTimeout(BaseException):
    """Raised into the rendering thread when its time is up. A BaseException, so that no
    ``except Exception`` on the way (in a figure lookup, say) swallows it."""


class _Budget:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.steps = 0
        self.fired = False


_local = threading.local()


def _tick() -> None:
    """One step of the current render: counted, and the clock checked."""
    budget = getattr(_local, "budget", None)
    if budget is None:
        return
    budget.steps += 1
    if budget.steps > MAX_STEPS:
        raise LimitExceeded(f"循环与调用超过{MAX_STEPS:,}步")
    if budget.steps % 64 == 0 and time.monotonic() > budget.deadline:
        raise LimitExceeded(f"渲染超过{budget.seconds:g}秒")


_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


@contextmanager
def budget(seconds: float | None = None):
    """Bound the renders done inside: steps and time. A watchdog thread raises RenderTimeout in this
    thread if it is still inside when the time is up (between two bytecodes: a single long C call,
    such as a huge power, cannot be interrupted — those are refused before they start)."""
    state = _Budget(time_limit() if seconds is None else seconds)
    outer = getattr(_local, "budget", None)
    _local.budget = state
    target = threading.get_ident()
    guard = threading.Lock()
    armed = [True]

    def expire():
        with guard:
            if armed[0]:
                state.fired = True
                _set_async_exc(ctypes.c_ulong(target), ctypes.py_object(RenderTimeout))

    timer = threading.Timer(state.seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield state
    finally:
        with guard:
            armed[0] = False
            if state.fired:  # raised but maybe not yet delivered: it must not hit the code after the render
                _set_async_exc(ctypes.c_ulong(target), None)
        timer.cancel()
        _local.budget = outer


# ---------------------------------------------------------------------------------------------- checks

_SIZED = (str, bytes, list, tuple, dict, set, frozenset)


def checked(value):
    """`value` if within bounds; LimitExceeded naming what is too large otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return value
        if not -MAX_NUMBER <= value <= MAX_NUMBER:
            raise LimitExceeded(f"数值超出允许范围（绝对值不超过10^{len(str(MAX_NUMBER)) - 1}）")
        return value
    if isinstance(value, _SIZED) and len(value) > MAX_TEXT:
        raise LimitExceeded(f"生成的文字或列表过长（{len(value):,}，上限{MAX_TEXT:,}）")
    return value


def _size_at_most(size: int | float, what: str) -> None:
    if size > MAX_TEXT:
        raise LimitExceeded(f"{what}将生成过长的文字或列表（{int(size):,}，上限{MAX_TEXT:,}）")


def _power_ok(base, exponent) -> None:
    """Refuse a power whose result would be beyond MAX_NUMBER, before computing it (9**(9**9))."""
    if isinstance(base, (int, float)) and isinstance(exponent, (int, float)) \
            and not isinstance(base, bool) and abs(base) > 1 and exponent > 0:
        if exponent * math.log10(abs(base)) > math.log10(MAX_NUMBER):
            raise LimitExceeded(f"乘方结果超出允许范围（绝对值不超过10^{len(str(MAX_NUMBER)) - 1}）")


def _repeat_ok(left, right) -> None:
    """Refuse 'x'*10**8 (and [1]*10**8) before building it."""
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, _SIZED) and isinstance(count, int) and not isinstance(count, bool):
            _size_at_most(len(seq) * max(count, 0), "重复（*）")


_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _printf_ok(template: str) -> None:
    """Widths and precisions in a %-format ('%100000000s') within MAX_TEXT; no '*' (a width from data)."""
    for width, precision in _PRINTF.findall(template):
        for number in (width, precision):
            if number == "*":
                raise LimitExceeded("格式说明中不允许用 * 指定宽度或精度")
            if number:
                _size_at_most(int(number), "格式宽度或精度")


def _format_spec_ok(spec: str) -> None:
    for number in re.findall(r"\d+", spec):
        _size_at_most(int(number), "格式宽度或精度")


def _str_format_ok(template: str) -> None:
    """'{:>100000000}'.format(x); nested fields ('{:{}}') would take the width from an argument."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # str.format reports it
    for _, _, spec, _ in fields:
        if spec and "{" in spec:
            raise LimitExceeded("格式说明中不允许嵌套 {}（宽度须写明）")
        if spec:
            _format_spec_ok(spec)


# Methods of strings (and filters) whose integer arguments are sizes of what they build.
_WIDTH_METHODS = {"ljust", "rjust", "center", "zfill", "expandtabs"}
_WIDTH_FILTERS = {"center", "indent", "wordwrap", "truncate", "batch", "slice", "random"}


def _replace_ok(text, old, new, count=-1) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        hits = len(text) + 1 if old == "" else text.count(old)
        if isinstance(count, int) and count >= 0:
            hits = min(hits, count)
        _size_at_most(len(text) + hits * max(len(new) - len(old), 0), "替换（replace）")


def _join_ok(separator, items) -> list:
    """The items as a list, after checking the joined text stays within MAX_TEXT."""
    items = list(items)
    _size_at_most(len(items), "连接（join）")
    total = len(str(separator)) * max(len(items) - 1, 0)
    for item in items:
        total += len(item) if isinstance(item, str) else len(str(item))
        _size_at_most(total, "连接（join）")
    return items


def _arguments_ok(name: str, args, kwargs, widths: set[str]) -> None:
    if name in widths:
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool):
                _size_at_most(value, f"{name} 的宽度或数量")


def _bounded_filter(name: str, func):
    @wraps(func)  # keeps jinja_pass_arg: a filter that takes the context still gets it
    def bounded(*args, **kwargs):
        _tick()
        # the filtered value is the first argument after a passed context/environment, if any
        offset = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
        value_args = args[offset:]
        _arguments_ok(name, value_args[1:], kwargs, _WIDTH_FILTERS)
        if name == "format" and value_args and isinstance(value_args[0], str):
            _printf_ok(value_args[0])
        if name == "replace" and len(value_args) >= 3:
            _replace_ok(*value_args[:4])
        if name == "join" and value_args:
            items = _join_ok(value_args[1] if len(value_args) > 1 else kwargs.get("d", ""), value_args[0])
            args = (*args[:offset], items, *value_args[1:])
        return checked(func(*args, **kwargs))

    return bounded


def _bounded_range(*args):
    _tick()
    try:
        return jinja2.sandbox.safe_range(*args)
    except OverflowError:
        raise LimitExceeded(f"range 超过{jinja2.sandbox.MAX_RANGE:,}项") from None


def _bounded_iter(iterable):
    """What every {% for %} iterates: one step per item."""
    for item in iterable:
        _tick()
        yield item


def _bounded_concat(pieces) -> str:
    """"".join with the total checked as it grows (the output, a block's buffer, a macro's text)."""
    parts, total = [], 0
    for piece in pieces:
        total += len(piece)
        if total > MAX_TEXT:
            raise LimitExceeded(f"输出文字过长（超过{MAX_TEXT:,}字符）")
        parts.append(piece)
    return "".join(parts)


def _bounded_str_join(seq) -> str:
    return _bounded_concat(map(str, seq))


def _bounded_markup_join(seq):
    from markupsafe import Markup, escape, soft_str

    parts = list(seq)
    if any(hasattr(part, "__html__") for part in parts):
        return Markup(_bounded_concat(escape(part) for part in parts))
    return _bounded_concat(map(soft_str, parts))


def _is_counted(node) -> bool:
    return isinstance(node, nodes.Call) and isinstance(node.node, nodes.EnvironmentAttribute) \
        and node.node.name == "bounded_iter"


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with each loop's iterable counted (`environment.bounded_iter`) and the
    joins a template module uses (``~``, block and macro buffers) bounded."""

    def visit_For(self, node, frame):
        if not _is_counted(node.iter):
            node.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"), [node.iter], [], None, None,
                                   lineno=node.lineno)
        super().visit_For(node, frame)

    def visit_Template(self, node, frame=None):
        super().visit_Template(node, frame)
        # The generated functions look these names up in the module at run time.
        self.writeline("concat = environment.concat")
        self.writeline("str_join = environment.bounded_str_join")
        self.writeline("markup_join = environment.bounded_markup_join")


class BoundedSandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox with bounded numbers, sizes, steps (see the module's docstring).
    Renders are timed by `budget()`."""

    code_generator_class = _BoundedCodeGenerator
    # Intercepted operators are also never folded at compile time, where 9**(9**9) would hang the parser.
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    concat = staticmethod(_bounded_concat)
    bounded_iter = staticmethod(_bounded_iter)
    bounded_str_join = staticmethod(_bounded_str_join)
    bounded_markup_join = staticmethod(_bounded_markup_join)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = {name: _bounded_filter(name, func) for name, func in self.filters.items()}
        self.globals["range"] = _bounded_range

    def call_binop(self, context, operator, left, right):
        _tick()
        checked(left), checked(right)
        if operator == "**":
            _power_ok(left, right)
        elif operator == "*":
            _repeat_ok(left, right)
        elif operator == "%" and isinstance(left, str):
            _printf_ok(left)
        try:
            return checked(self.binop_table[operator](left, right))
        except OverflowError:
            raise LimitExceeded(f"数值超出允许范围（绝对值不超过10^{len(str(MAX_NUMBER)) - 1}）") from None

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        _tick()
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, (str, bytes, list, tuple)):
            _arguments_ok(name, args, kwargs, _WIDTH_METHODS)
            if name == "replace" and isinstance(owner, str) and len(args) >= 2:
                _replace_ok(owner, *args[:3])
            if name == "join" and isinstance(owner, str) and args:
                args = (_join_ok(owner, args[0]), *args[1:])
        return checked(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template = value.__self__

        def bounded(*args, **kwargs):
            _str_format_ok(template)
            return checked(wrapped(*args, **kwargs))

        return update_wrapper(bounded, value)

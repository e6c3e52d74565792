"""Find every worked equation in a text (“49.8 ÷ 55 × 100 = 90.55”, “(715 − 442) ÷ 4 = 68.25”,
“425.1 + 324.4 + … = 1294.3”, “|a − b| = c”) and check it is arithmetically true to the rounding
of its printed result."""
import re

NUMBER = r"\d+(?:\.\d+)?"
# An arithmetic expression of numbers, operators, brackets and bars, then “= result”.
EQUATION = re.compile(rf"((?:[(|]\s*)*{NUMBER}(?:\s*[)|])*(?:\s*[+−×÷\-*/]\s*(?:[(|]\s*)*{NUMBER}(?:\s*[)|])*)+)"
                      rf"\s*=\s*(−?{NUMBER})(%?)")


def _python(expr: str) -> str:
    expr = expr.replace("−", "-").replace("×", "*").replace("÷", "/")
    # |x| → abs(x): bars come in pairs
    out, open_bar = [], False
    for ch in expr:
        if ch == "|":
            out.append(")" if open_bar else "abs(")
            open_bar = not open_bar
        else:
            out.append(ch)
    return "".join(out)


def equations(text: str) -> list[tuple[str, str]]:
    return [(m.group(1).strip(), m.group(2)) for m in EQUATION.finditer(text)]


def _percent_results(text: str) -> set[tuple[str, str]]:
    """Equations whose result is printed as a percentage without “× 100” (“33÷29=113.8%”)."""
    return {(m.group(1).strip(), m.group(2)) for m in EQUATION.finditer(text)
            if m.group(3) and "100" not in m.group(1)}


def false_equations(text: str) -> list[str]:
    wrong = []
    percent = _percent_results(text)
    for expr, result in equations(text):
        try:
            value = eval(_python(expr), {"__builtins__": {}, "abs": abs})  # digits and operators only
        except (SyntaxError, ZeroDivisionError):
            continue  # a fragment such as “2021-2024”, not an equation
        if (expr, result) in percent:
            value *= 100
        printed = float(result.replace("−", "-"))
        decimals = len(result.split(".")[1]) if "." in result else 0
        if abs(value - printed) > 0.5 * 10 ** -decimals + 1e-9:
            wrong.append(f"{expr} = {result} (is {value:.4f})")
    return wrong

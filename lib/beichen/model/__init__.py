"""The edition model: every figure an edition shows with its year and provenance, and the formulas behind them (the plan's rules: lib/beichen/inputs/plan.py)."""

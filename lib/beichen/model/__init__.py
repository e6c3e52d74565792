"""The edition model: the plan's rules, every figure an edition shows with its year and provenance, and the formulas behind them."""

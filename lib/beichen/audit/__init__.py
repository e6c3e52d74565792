"""The data audit: every figure the source states, recomputed and judged, for the analyst's 核查报告."""

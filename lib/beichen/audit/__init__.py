"""The data audit: every figure the source states, recomputed and judged, for the analyst's 核查报告; the edition's status (征求意见稿 / 定稿)."""

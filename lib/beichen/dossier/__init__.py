"""The 核查报告: the analyst's working document built beside each edition, never published with it."""

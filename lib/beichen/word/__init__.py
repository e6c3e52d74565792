"""The review round in Word (issue 26): the edition as an editable 征求意见稿 .docx (`make docx`), and the
reviewers' tracked changes and comments brought back to their passages (`make review`).

anchors.py   which narrative passage (file, key, paragraph) a printed paragraph comes from, and which of
             its characters are the passage's own words and which a figure filled in
draft.py     the .docx: pandoc writes it from the executed chapters, python-docx gives it the 公文 style
style.py     the 公文 look (page, fonts, pitch, headings, page numbers, draft mark), set with python-docx
reviewed.py  a reviewed .docx read back: per anchored paragraph its tracked insertions, deletions, comments
review.py    `make review`: each change placed, passage edits proposed as a diff (APPLY=1 writes them,
             all or none), changes to figures listed with their source, every item recorded as data
decisions.py what was done with each (meta/review-<year>.yml), as the 核查报告's 意见处理 table
"""

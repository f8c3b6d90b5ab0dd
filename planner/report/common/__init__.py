"""The base every deliverable family (plan, compare, sweep) builds on: chart style and saving, the words in
English and Chinese, byte-stable files, number formats, one table helper, one render loop for chart specs, the
HTML page and workbook writers, the slide deck's parts and the pool of drawing processes. Nothing here knows a
family; no family imports another."""

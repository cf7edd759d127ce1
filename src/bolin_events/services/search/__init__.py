"""Search: one box that finds public events by title, description, venue, village and
programme, in Chinese (夜市) or pinyin (yeshi, ye shi, ys), forgiving one typo in longer
pinyin. ``query`` reads what was typed, ``text`` normalises and spells, ``index`` matches and
ranks, ``build`` keeps an index per data version (the same answer on SQLite and PostgreSQL,
with no search-engine extension in either)."""
